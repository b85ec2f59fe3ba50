using System;
using System.IO;
using System.Linq;
using System.Threading;
using TinyGru.Model.Text;
using TinyGru.Training.Loop;
using TinyGru.Training.Model;
using TinyGru.Training.Text;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>Checkpoints: a run stopped mid-epoch and resumed in a new process state ends bit-identical to an uninterrupted seeded run.</summary>
public sealed class ResumeTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinygru-resume-" + Guid.NewGuid().ToString("N"));

    public ResumeTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly TrainerOptions Options = new()
    {
        EmbeddingDimension = 8,
        HiddenSize = 12,
        Layers = 2,
        Bidirectional = true,
        Dropout = 0.3,
        BatchSize = 8,
        Epochs = 3,
        ClipNorm = 1.0,
        LearningRate = 3e-3,
        Seed = 99,
        CheckpointEvery = 4,
        BucketPool = 3,
    };

    [Theory]
    [InlineData(5)]   // inside epoch 1, past a periodic checkpoint
    [InlineData(13)]  // epoch boundary
    [InlineData(17)]  // inside epoch 2
    public void Stopping_and_resuming_gives_the_uninterrupted_result(int stopAfter)
    {
        (TextSpec text, EncodedDataset train, EncodedDataset valid) = Data();

        TrainingRun straight = NewRun("a", text, train, valid);
        Assert.Equal(RunStatus.Completed, straight.Run(TestContext.Current.CancellationToken));

        TrainingRun first = NewRun("b", text, train, valid);
        Assert.Equal(RunStatus.Interrupted, first.Run(TestContext.Current.CancellationToken, stopAfterBatches: stopAfter));
        Assert.True(File.Exists(first.CheckpointPath));

        TrainingRun resumed = NewRun("b", text, train, valid); // a fresh object: only the files carry over
        Assert.True(resumed.Resume());
        Assert.Equal(stopAfter, resumed.State.Epoch * 13 + resumed.State.NextBatch);
        Assert.Equal(RunStatus.Completed, resumed.Run(TestContext.Current.CancellationToken));

        for (int i = 0; i < straight.Weights.Tensors.Count; i++)
        {
            Assert.Equal(straight.Weights.Tensors[i].Values, resumed.Weights.Tensors[i].Values);
        }

        Assert.Equal(straight.State.History.Select(m => (m.TrainLoss, m.TrainAccuracy, m.ValidLoss, m.ValidAccuracy, m.Tokens)),
                     resumed.State.History.Select(m => (m.TrainLoss, m.TrainAccuracy, m.ValidLoss, m.ValidAccuracy, m.Tokens)));
        Assert.Equal(straight.State.BestEpoch, resumed.State.BestEpoch);
        Assert.Equal(File.ReadAllBytes(straight.ModelPath), File.ReadAllBytes(resumed.ModelPath));
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Cancellation_leaves_a_checkpoint_at_the_position_reached()
    {
        (TextSpec text, EncodedDataset train, EncodedDataset valid) = Data();
        TrainingRun run = NewRun("c", text, train, valid);
        using var cancel = new CancellationTokenSource();
        run.BatchDone = p =>
        {
            if (p.Batch == 6)
            {
                cancel.Cancel(); // what Ctrl-C does in tinygru train
            }
        };
        Assert.Equal(RunStatus.Interrupted, run.Run(cancel.Token));

        TrainingRun resumed = NewRun("c", text, train, valid);
        Assert.True(resumed.Resume());
        Assert.Equal(0, resumed.State.Epoch);
        Assert.Equal(6, resumed.State.NextBatch);
    }

    [Fact]
    public void A_checkpoint_of_another_configuration_is_refused()
    {
        (TextSpec text, EncodedDataset train, EncodedDataset valid) = Data();
        TrainingRun run = NewRun("d", text, train, valid);
        run.Run(TestContext.Current.CancellationToken, stopAfterBatches: 2);
        var other = new TrainingRun(Options with { LearningRate = 1e-2 }, text, train, valid, Path.Combine(_dir, "d", "model.tgru"), "synthetic");
        InvalidOperationException e = Assert.Throws<InvalidOperationException>(() => other.Resume());
        Assert.Contains("another configuration", e.Message);
    }

    [Fact]
    public void Early_stopping_stops_when_validation_stops_improving()
    {
        (TextSpec text, EncodedDataset train, EncodedDataset valid) = Data();
        // Validation labels that contradict the rule the model learns: its validation loss must get worse.
        valid = new EncodedDataset(valid.Sequences, valid.Labels.Select(l => 1 - l).ToArray());
        var options = Options with { Epochs = 30, EarlyStoppingPatience = 2, LearningRate = 0.01 };
        var run = new TrainingRun(options, text, train, valid, Path.Combine(_dir, "e", "model.tgru"), "synthetic");
        RunStatus status = run.Run(TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.EarlyStopped, status);
        Assert.True(run.State.History.Count < 30);
        EpochMetrics last = run.State.History[^1];
        Assert.True(last.ValidLoss >= run.State.BestValidLoss);
        Assert.Equal(run.State.History.Min(m => m.ValidLoss), run.State.BestValidLoss);
    }

    private TrainingRun NewRun(string name, TextSpec text, EncodedDataset train, EncodedDataset valid) =>
        new(Options, text, train, valid, Path.Combine(_dir, name, "model.tgru"), "synthetic");

    /// <summary>104 training sequences (13 batches of 8) where the label says whether token 2 ("good") occurs.</summary>
    private static (TextSpec, EncodedDataset, EncodedDataset) Data()
    {
        var text = new TextSpec(new TokenizerSettings(ReviewTokenizer.KindName, true),
            new[] { "<unk>", "<pad>", "good" }.Concat(Enumerable.Range(0, 17).Select(i => "w" + i)).ToArray(), "<unk>", "<pad>");
        EncodedDataset Make(int count, int seed)
        {
            var random = new Random(seed);
            var sequences = new int[count][];
            var labels = new float[count];
            for (int i = 0; i < count; i++)
            {
                sequences[i] = Enumerable.Range(0, 1 + random.Next(15)).Select(_ => 3 + random.Next(17)).ToArray();
                if (random.Next(2) == 1)
                {
                    sequences[i][random.Next(sequences[i].Length)] = 2;
                    labels[i] = 1;
                }
            }

            return new EncodedDataset(sequences, labels);
        }

        return (text, Make(104, 1), Make(40, 2));
    }
}
