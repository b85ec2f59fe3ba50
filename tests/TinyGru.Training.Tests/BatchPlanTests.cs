using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyGru.Model.Text;
using TinyGru.Training.Loop;
using TinyGru.Training.Text;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary><c>tinygru train --write-batches</c>: the epoch written out is the one <see cref="TrainingRun.Run"/> trains.</summary>
public sealed class BatchPlanTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinygru-plan-" + Guid.NewGuid().ToString("N"));

    public BatchPlanTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TrainerOptions Options = new()
    {
        EmbeddingDimension = 4,
        HiddenSize = 5,
        BatchSize = 8,
        Epochs = 1,
        Seed = 7,
        BucketPool = 3,
        CheckpointEvery = 0,
    };

    [Fact]
    public void The_plan_holds_the_batches_run_trains_in_their_order()
    {
        (TextSpec text, EncodedDataset train) = Data(90);
        var run = new TrainingRun(Options, text, train, train, Path.Combine(_dir, "model.tgru"), "synthetic");
        string path = Path.Combine(_dir, "epoch1.batches");
        run.WriteBatchPlan(path, epoch: 0);
        List<EncodedDataset> plan = BatchPlanFile.Read(path);

        // Every training example exactly once, with its label, in batches of at most BatchSize.
        Assert.Equal(12, plan.Count); // ⌈90 / 8⌉
        Assert.All(plan, b => Assert.InRange(b.Count, 1, Options.BatchSize));
        static string Key(int[] s, float label) => label + ":" + string.Join(",", s);
        Assert.Equal(
            Enumerable.Range(0, train.Count).Select(i => Key(train.Sequences[i], train.Labels[i])).OrderBy(k => k, StringComparer.Ordinal),
            plan.SelectMany(b => Enumerable.Range(0, b.Count).Select(i => Key(b.Sequences[i], b.Labels[i]))).OrderBy(k => k, StringComparer.Ordinal));

        // Run trains the same batches in the same order: its per-batch token counts follow the plan's.
        var tokensPerBatch = new List<long>();
        long before = 0;
        run.BatchDone = p =>
        {
            tokensPerBatch.Add(p.Tokens - before);
            before = p.Tokens;
        };
        run.Run(TestContext.Current.CancellationToken);
        Assert.Equal(plan.Select(b => b.Tokens), tokensPerBatch);
        Assert.Equal(run.EpochBatches(0).Select(b => b.Length), plan.Select(b => b.Count));
    }

    [Fact]
    public void A_cut_short_plan_names_the_field_it_ends_in()
    {
        (TextSpec text, EncodedDataset train) = Data(20);
        var run = new TrainingRun(Options, text, train, train, Path.Combine(_dir, "model.tgru"), "synthetic");
        string path = Path.Combine(_dir, "cut.batches");
        run.WriteBatchPlan(path, epoch: 0);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - 2).ToArray());

        InvalidDataException e = Assert.Throws<InvalidDataException>(() => BatchPlanFile.Read(path));
        Assert.Contains("cut.batches", e.Message);
        Assert.Contains("token", e.Message);
        Assert.Contains("ends early", e.Message);
    }

    [Fact]
    public void Another_file_is_not_taken_for_a_plan()
    {
        string path = Path.Combine(_dir, "model.tgru");
        File.WriteAllText(path, "{\"format\": \"tinygru\"}");
        InvalidDataException e = Assert.Throws<InvalidDataException>(() => BatchPlanFile.Read(path));
        Assert.Contains("magic", e.Message);
    }

    private static (TextSpec, EncodedDataset) Data(int count)
    {
        var text = new TextSpec(new TokenizerSettings(ReviewTokenizer.KindName, true),
            new[] { "<unk>", "<pad>" }.Concat(Enumerable.Range(0, 10).Select(i => "w" + i)).ToArray(), "<unk>", "<pad>");
        var random = new Random(3);
        var sequences = new int[count][];
        var labels = new float[count];
        for (int i = 0; i < count; i++)
        {
            sequences[i] = Enumerable.Range(0, 1 + random.Next(20)).Select(_ => 2 + random.Next(10)).ToArray();
            labels[i] = random.Next(2);
        }

        return (text, new EncodedDataset(sequences, labels));
    }
}
