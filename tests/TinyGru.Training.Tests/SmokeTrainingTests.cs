using System;
using System.IO;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using TinyGru.Training.Data;
using TinyGru.Training.Loop;
using TinyGru.Training.Model;
using TinyGru.Training.Text;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>
/// CI's training run: a small model on a seeded 6,000-review IMDb subset (first 200 tokens each, about half a
/// minute on 2 cores) must clearly beat chance on 2,000 held-out test reviews, and the model file it writes
/// must give the deployed engine the trainer's own predictions.
/// </summary>
public sealed class SmokeTrainingTests : IDisposable
{
    /// <summary>Overrides where <c>train.tsv.gz</c> and <c>test.tsv.gz</c> are (default: shared/data/imdb beside shared/reference).</summary>
    public const string ImdbVariable = "TINYGRU_IMDB_DIR";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinygru-smoke-" + Guid.NewGuid().ToString("N"));

    public SmokeTrainingTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_small_imdb_model_beats_chance_clearly_on_held_out_reviews()
    {
        string imdb = Environment.GetEnvironmentVariable(ImdbVariable) is { Length: > 0 } overridden
            ? overridden
            : Path.GetFullPath(Path.Combine(ReferenceRoot.Directory, "..", "data", "imdb"));
        var trainAll = ImdbDataset.Train(imdb);
        var testAll = ImdbDataset.Test(imdb);
        Assert.Equal(25_000, trainAll.Count);

        var subset = DataSplit.Split(trainAll, 1 - 6000.0 / trainAll.Count, seed: 11).Train;
        var heldOut = DataSplit.Split(testAll, 2000.0 / testAll.Count, seed: 12).Valid;
        PreparedData data = TrainingData.Prepare(subset, heldOut, validFraction: 0.1, seed: 5, maxVocabulary: 10_000, maxLength: 200);
        var options = new TrainerOptions
        {
            EmbeddingDimension = 32, HiddenSize = 64, BatchSize = 32, Epochs = 5, LearningRate = 5e-3, Dropout = 0.3, Seed = 5,
        };
        string modelPath = Path.Combine(_dir, "smoke.tgru");
        var run = new TrainingRun(options, data.Text, data.Train, data.Valid, modelPath, "imdb subset");
        Assert.Equal(RunStatus.Completed, run.Run(TestContext.Current.CancellationToken));
        run.LoadBestWeights();

        EvaluationResult test = Evaluation.Evaluate(run.Runner, run.Weights, data.Test!);
        Assert.True(test.Accuracy >= 0.70, $"test accuracy {test.Accuracy:P1} on {test.Confusion.Total} held-out reviews (chance is 50%)");
        Assert.Equal(2000, test.Confusion.Total);

        // The file carries vocabulary and tokenizer: the reference engine reading raw text agrees with the trainer.
        GruModel model = ModelFileReader.Read(modelPath);
        Assert.Equal(data.Text.Vocabulary, model.Text!.Vocabulary);
        var engine = new ReferenceEngine(model);
        var reviews = heldOut.Take(20).ToArray();
        float[] trainerLogits = run.Runner.Logits(run.Weights, EncodedDataset.Encode(reviews, data.Text, maxLength: null).Sequences);
        for (int i = 0; i < reviews.Length; i++)
        {
            float deployed = engine.Predict(model.Text.Encode(reviews[i].Text)).Logits[0];
            Assert.True(Math.Abs(deployed - trainerLogits[i]) <= 1e-3, $"review {i}: engine {deployed}, trainer {trainerLogits[i]}");
        }
    }
}
