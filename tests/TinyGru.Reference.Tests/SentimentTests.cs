using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Reference.Tests;

/// <summary>Every <c>sentiment</c> golden case: Embedding → GRU → Linear on packed token sequences.</summary>
public sealed class SentimentTests
{
    /// <summary>One test case per JSON file in <c>sentiment</c>.</summary>
    public static TheoryData<string, string> Cases => ReferenceCaseData.Of("sentiment");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_pytorch(string referenceCase, string convention)
    {
        SentimentCase c = SentimentCase.Load(referenceCase);
        Assert.Equal(convention, Model.Architecture.GruConventionNames.ToName(c.Convention));
        var engine = new ReferenceEngine(c.ToModel());

        for (int b = 0; b < c.Lengths.Length; b++)
        {
            int[] tokens = c.TokensOf(b);
            GruRun run = engine.RunGru(engine.Embed(tokens), tokens.Length);
            Close.Equal(c.HN[0][b], run.FinalStates[0], ReferenceTolerances.Sentiment, $"{c.Name} h_n[0][{b}]");

            Prediction prediction = engine.Predict(tokens);
            Close.Equal([c.Logits[b]], prediction.Logits, ReferenceTolerances.Sentiment, $"{c.Name} logits[{b}]");
            Close.Equal([c.Probabilities[b]], prediction.Outputs, ReferenceTolerances.Sentiment, $"{c.Name} probabilities[{b}]");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Survives_a_model_file_round_trip(string referenceCase, string convention)
    {
        // Writing and re-reading the model file must give back the exact weights PyTorch used.
        SentimentCase c = SentimentCase.Load(referenceCase);
        Model.GruModel original = c.ToModel();
        Assert.Equal(convention, Model.Architecture.GruConventionNames.ToName(original.Architecture.Gru.Convention));
        Model.GruModel reread = Model.Format.ModelFileReader.Parse(Model.Format.ModelFileWriter.ToText(original), c.Name);

        Assert.Equal(original.Architecture, reread.Architecture);
        Assert.Equal(original.Tensors.Count, reread.Tensors.Count);
        for (int i = 0; i < original.Tensors.Count; i++)
        {
            Assert.Equal(original.Tensors[i].Name, reread.Tensors[i].Name);
            Assert.Equal(original.Tensors[i].Shape, reread.Tensors[i].Shape);
            Assert.Equal(original.Tensors[i].Values, reread.Tensors[i].Values);
        }

        Prediction prediction = new ReferenceEngine(reread).Predict(c.TokensOf(0));
        Close.Equal([c.Logits[0]], prediction.Logits, ReferenceTolerances.Sentiment, $"{c.Name} logits[0] after round trip");
    }
}
