using TinyGru.Model;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary>
/// int8 models (<c>&lt;case&gt;.&lt;mode&gt;.tgru</c>): the generated code against the reference engine running the same
/// int8 model (PyTorch has no int8 golden values) on the reference case's inputs.
/// </summary>
public sealed class QuantizedParityTests
{
    public static TheoryData<string, string, string> QuantizedModels => ParityCases.Quantized();

    [Theory]
    [MemberData(nameof(QuantizedModels))]
    public void Matches_reference_engine(string referenceCase, string convention, string model)
    {
        ParityModel m = ParityModel.All[model];
        Assert.Equal(convention, ReferenceRoot.ConventionOf(referenceCase));
        GruModel file = m.ReadFile();
        Assert.NotNull(file.Quantization);
        // w8a8 classes use a [7/4] σ/tanh (≤ 2.5e-5): the engine shares it, so rounding flips of the state quantizer stay rare.
        var engine = new ReferenceEngine(file, m.QuantizationMode == "w8a8" ? m.OwnActivations() : null);
        double tolerance = Tolerances.Quantized(m.QuantizationMode!);
        string where = $"{model} ({m.SimdPath})";
        if (m.IsSentiment)
        {
            SentimentCase c = SentimentCase.Load(referenceCase);
            for (int b = 0; b < c.Lengths.Length; b++)
            {
                int[] ids = c.TokensOf(b);
                Prediction expected = engine.Predict(ids);
                var logits = new float[expected.Logits.Length];
                var outputs = new float[expected.Outputs.Length];
                m.PredictLogits(ids, logits);
                m.Predict(ids, outputs);
                Close.Equal(expected.Logits, logits, tolerance, $"{where} logits[{b}]");
                Close.Equal(expected.Outputs, outputs, tolerance, $"{where} outputs[{b}]");
            }
        }
        else
        {
            ForwardCase c = ForwardCase.Load(referenceCase);
            for (int b = 0; b < c.Batch; b++)
            {
                float[][] initial = c.InitialStateOf(b);
                GruRun expected = engine.RunGru(c.Input[b], c.Lengths[b], initial);
                (float[] outputs, float[] finals) = ForwardParityTests.RunForward(m, c.Input[b], c.Lengths[b], initial.SelectMany(x => x).ToArray());
                ForwardParityTests.Compare(expected.Outputs, c.Lengths[b], expected.FinalStates, outputs, finals, tolerance, $"{where} sequence {b}");
            }
        }
    }
}
