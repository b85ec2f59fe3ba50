using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary><c>sentiment</c> models: the generated PredictLogits and Predict on token ids against PyTorch.</summary>
public sealed class SentimentParityTests
{
    public static TheoryData<string, string, string> FloatModels => ParityCases.Float("sentiment");

    [Theory]
    [MemberData(nameof(FloatModels))]
    public void Matches_pytorch(string referenceCase, string convention, string model)
    {
        SentimentCase c = SentimentCase.Load(referenceCase);
        ParityModel m = ParityModel.All[model];
        Assert.Equal(convention, ReferenceRoot.ConventionOf(referenceCase));
        for (int b = 0; b < c.Lengths.Length; b++)
        {
            int[] ids = c.TokensOf(b);
            var logit = new float[1];
            var probability = new float[1];
            m.PredictLogits(ids, logit);
            m.Predict(ids, probability);
            Close.Equal(new[] { c.Logits[b] }, logit, Tolerances.Float, $"{model} ({m.SimdPath}) logit[{b}]");
            Close.Equal(new[] { c.Probabilities[b] }, probability, Tolerances.Float, $"{model} ({m.SimdPath}) probability[{b}]");
        }
    }
}
