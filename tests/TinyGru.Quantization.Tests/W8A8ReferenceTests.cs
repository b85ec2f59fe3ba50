using TinyGru.Model;
using TinyGru.Model.Quantization;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Quantization.Tests;

/// <summary>The w8a8 semantics of the reference engine: activation quantization as documented, on PyTorch's models.</summary>
public sealed class W8A8ReferenceTests
{
    [Fact]
    public void Inputs_get_a_dynamic_scale_and_round_half_to_even()
    {
        (sbyte[] q, float scale) = ReferenceEngine.QuantizeDynamic([2f, -1f, 0.5f / 127f * 2f, 0f]);

        Assert.Equal(2f / 127f, scale);
        Assert.Equal([127, -64, 0, 0], q.Select(v => (int)v)); // −63.5 → −64 and 0.5 → 0: ties to even
    }

    [Fact]
    public void A_zero_input_has_scale_zero()
    {
        (sbyte[] q, float scale) = ReferenceEngine.QuantizeDynamic([0f, 0f]);

        Assert.Equal(0f, scale);
        Assert.All(q, v => Assert.Equal(0, v));
    }

    [Fact]
    public void The_state_uses_the_fixed_scale_and_clamps()
    {
        Assert.Equal([127, -127, 64, 0], ReferenceEngine.QuantizeState([1f, -1.5f, 0.5f, 0.001f]).Select(v => (int)v));
    }

    // These untrained models give probabilities near 0.5, so labels may flip on tiny changes: compare values.
    [Theory]
    [MemberData(nameof(Sentiment))]
    public void W8A8_quantizes_activations_yet_stays_close_to_pytorch(string referenceCase, string convention)
    {
        SentimentCase c = SentimentCase.Load(referenceCase);
        GruModel model = c.ToModel();
        Assert.Equal(convention, Model.Architecture.GruConventionNames.ToName(model.Architecture.Gru.Convention));
        var w8a32 = new ReferenceEngine(Quantizer.Quantize(model, QuantizationMode.W8A32));
        var w8a8 = new ReferenceEngine(Quantizer.Quantize(model, QuantizationMode.W8A8));

        double differenceBetweenModes = 0;
        for (int b = 0; b < c.Lengths.Length; b++)
        {
            float p8 = w8a8.Predict(c.TokensOf(b)).Outputs[0];
            differenceBetweenModes = Math.Max(differenceBetweenModes, Math.Abs(p8 - w8a32.Predict(c.TokensOf(b)).Outputs[0]));
            Assert.True(Math.Abs(p8 - c.Probabilities[b]) < 0.01, $"{c.Name}[{b}]: w8a8 {p8} vs PyTorch {c.Probabilities[b]}");
        }

        Assert.True(differenceBetweenModes > 0, "w8a8 gave exactly the w8a32 result: activations were not quantized");
    }

    public static TheoryData<string, string> Sentiment => ReferenceCaseData.Of("sentiment");
}
