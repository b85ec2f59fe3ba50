using System.Globalization;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Model.Text;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Cli.Tests;

public sealed class PredictCommandTests
{
    [Fact]
    public void The_shipped_model_reproduces_pytorchs_logits()
    {
        // The shipped demo model is PyTorch's reference model s02: its batch must give PyTorch's numbers.
        SentimentCase reference = SentimentCase.Load("sentiment/s02_v1000_e64_h64.json");
        var args = new List<string> { "predict", CliRun.ShippedModel };
        for (int b = 0; b < reference.Lengths.Length; b++)
        {
            args.Add("--tokens");
            args.Add(string.Join(",", reference.TokensOf(b)));
        }

        CliRun run = CliRun.Of([.. args]);

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Output.TrimEnd().Split('\n');
        Assert.Equal(reference.Lengths.Length, lines.Length);
        for (int b = 0; b < lines.Length; b++)
        {
            string[] words = lines[b].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            double probability = double.Parse(words[2], CultureInfo.InvariantCulture);
            double logit = double.Parse(words[4], CultureInfo.InvariantCulture);
            Assert.Equal(reference.Probabilities[b], probability, 1e-5);
            Assert.Equal(reference.Logits[b], logit, 1e-5);
            Assert.Equal(reference.Probabilities[b] >= 0.5 ? "positive" : "negative", words[0]);
        }
    }

    [Fact]
    public void Text_models_classify_text_with_their_own_tokenizer()
    {
        SentimentCase reference = SentimentCase.Load("sentiment/s01_v2000_e32_h16.json");
        GruModel imported = reference.ToModel();
        string[] vocabulary = Enumerable.Range(0, 2000).Select(i => i switch { 0 => "<unk>", 1 => "<pad>", 2 => "great", 3 => "awful", _ => "w" + i }).ToArray();
        var text = new TextSpec(new TokenizerSettings(ReviewTokenizer.KindName, true), vocabulary, "<unk>", "<pad>");
        var model = new GruModel(imported.Architecture, imported.Tensors, text, imported.Provenance);
        string path = Path.Combine(CliRun.TempDirectory(), "text.tgru");
        ModelFileWriter.Write(model, path);

        CliRun run = CliRun.Of("predict", path, "--text", "Great, AWFUL w17!");

        Assert.Equal(0, run.ExitCode);
        float expected = new ReferenceEngine(model).Predict([2, 0, 3, 17, 0]).Outputs[0]; // "," and "!" are unknown
        string probability = run.Output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
        Assert.Equal(expected, double.Parse(probability, CultureInfo.InvariantCulture), 1e-6);
    }

    [Theory]
    [InlineData("--tokens", "5,x", "item 2: 'x' is not a token id")]
    [InlineData("--tokens", "5,1000", "id 1000, outside the vocabulary [0, 999]")]
    [InlineData("--text", "a review", "has no vocabulary")]
    public void Bad_input_fails_with_the_cause(string option, string value, string cause)
    {
        CliRun run = CliRun.Of("predict", CliRun.ShippedModel, option, value);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(cause, run.Error);
    }

    [Fact]
    public void Nothing_to_predict_is_an_error()
    {
        CliRun run = CliRun.Of("predict", CliRun.ShippedModel);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothing to predict", run.Error);
    }
}

public sealed class ShippedImdbModelTests
{
    private static string Model => Path.Combine(TinyGru.ReferenceData.ReferenceRoot.RepositoryRoot, "models", "imdb-sentiment.tgru");

    [Fact]
    public void The_tutorials_two_reviews_come_out_positive_and_negative()
    {
        CliRun run = CliRun.Of("predict", Model,
            "--text", "This movie is absolutely fantastic! The acting was superb and the story kept me engaged from start to finish.",
            "--text", "What a waste of time. Terrible acting, boring plot, and I fell asleep halfway through.");

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Output.TrimEnd().Split('\n');
        Assert.StartsWith("positive", lines[0]);
        Assert.StartsWith("negative", lines[1]);
    }

    [Fact]
    public void The_shipped_model_is_the_int8_imdb_model_with_its_measured_accuracy()
    {
        TinyGru.Model.GruModel model = TinyGru.Model.Format.ModelFileReader.Read(Model);

        Assert.Equal(TinyGru.Model.Quantization.QuantizationMode.W8A32, model.Quantization!.Mode);
        Assert.NotNull(model.Text);
        Assert.Equal(25_002, model.Text!.Vocabulary.Count);
        double accuracy = model.Provenance.Metrics.Single(m => m.Key == "test_accuracy").Value;
        Assert.True(accuracy >= 0.87, $"the shipped model's recorded test accuracy is {accuracy}");
    }
}
