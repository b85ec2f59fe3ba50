using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary><c>gru/forward</c> models: the generated Forward (and Step) against PyTorch, in this process's SIMD path.</summary>
public sealed class ForwardParityTests
{
    public static TheoryData<string, string, string> FloatModels => ParityCases.Float("gru/forward");

    [Theory]
    [MemberData(nameof(FloatModels))]
    public void Matches_pytorch(string referenceCase, string convention, string model)
    {
        ForwardCase c = ForwardCase.Load(referenceCase);
        ParityModel m = ParityModel.All[model];
        Assert.Equal(convention, ReferenceRoot.ConventionOf(referenceCase));
        string where = $"{model} ({m.SimdPath})";
        for (int b = 0; b < c.Batch; b++)
        {
            (float[] outputs, float[] finals) = RunForward(m, c.Input[b], c.Lengths[b], c.InitialStateOf(b).SelectMany(x => x).ToArray());
            Compare(c.Output[b], c.Lengths[b], c.HN.Select(s => s[b]).ToArray(), outputs, finals, Tolerances.Float, $"{where} sequence {b}");
            if (!c.Bidirectional)
            {
                float[] inputs = c.Input[b].Take(c.Lengths[b]).SelectMany(x => x).ToArray();
                (float[] stepped, float[] stepFinals) = m.StepAll(inputs, c.Lengths[b], c.InitialStateOf(b).SelectMany(x => x).ToArray());
                Compare(c.Output[b], c.Lengths[b], c.HN.Select(s => s[b]).ToArray(), stepped, stepFinals, Tolerances.Float, $"{where} Step, sequence {b}");
            }
        }
    }

    /// <summary>The generated Forward over the first <paramref name="length"/> steps.</summary>
    internal static (float[] Outputs, float[] Finals) RunForward(ParityModel m, float[][] steps, int length, float[] initial)
    {
        int dh = m.Constant("OutputSize");
        float[] inputs = steps.Take(length).SelectMany(x => x).ToArray();
        var outputs = new float[length * dh];
        var finals = new float[m.Constant("StateSize")];
        var scratch = new float[m.ScratchLength(length)];
        m.Forward(inputs, outputs, finals, initial, scratch);
        return (outputs, finals);
    }

    /// <summary>Per step the last layer's output, then every layer·direction's final state.</summary>
    internal static void Compare(float[][] expectedOutputs, int length, float[][] expectedFinals, float[] outputs, float[] finals, double tolerance, string where)
    {
        int width = outputs.Length / length, h = finals.Length / expectedFinals.Length;
        for (int t = 0; t < length; t++)
        {
            Close.Equal(expectedOutputs[t], outputs.AsSpan(t * width, width).ToArray(), tolerance, $"{where} output[{t}]");
        }

        for (int s = 0; s < expectedFinals.Length; s++)
        {
            Close.Equal(expectedFinals[s], finals.AsSpan(s * h, h).ToArray(), tolerance, $"{where} h_n[{s}]");
        }
    }
}
