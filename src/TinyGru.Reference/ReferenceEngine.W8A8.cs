using System;
using TinyGru.Model.Architecture;

namespace TinyGru.Reference;

/// <summary>
/// The <c>w8a8</c> step: what int8 kernels must compute, written out once. Per step and direction:
/// <list type="number">
/// <item>The input x is quantized with a dynamic scale: m = max|x|, q_x = round(x · (127 / m)) (float32 multiply,
///   round half to even, clamp to ±127), s_x = m / 127; a zero vector gives q_x = 0, s_x = 0.</item>
/// <item>The state h ∈ [−1, 1] is quantized with the fixed scale 1/127: q_h = round(h · 127), clamped.</item>
/// <item>Integer dot products acc = Σ q_w · q_a (exact in int32 for inputs up to 133,000 wide), then one float rescale
///   per row: gate = acc · (s_w[row] · s_a) + bias.</item>
/// <item>Gates, candidate and update in float exactly as the float engine does (with its <see cref="CellActivations"/>);
///   the state stays float between steps.
///   For <c>cho2014</c>, r ⊙ h is quantized with the 1/127 scale before the candidate's recurrent product.</item>
/// </list>
/// The head and the embedding lookup use the dequantized weights (one row each, not worth integer code).
/// </summary>
public sealed partial class ReferenceEngine
{
    /// <summary>The fixed quantization scale of the hidden state (|h| ≤ 1).</summary>
    public const float StateScale = 1f / 127f;

    private float[] StepW8A8(Direction cell, float[] x, float[] h)
    {
        int hidden = h.Length;
        (sbyte[] qx, float sx) = QuantizeDynamic(x);
        sbyte[] qh = QuantizeState(h);
        sbyte[] wih = cell.Ih.Quantized!, whh = cell.Hh.Quantized!;
        float[] sih = cell.Ih.RowScales!, shh = cell.Hh.RowScales!;

        float InputGate(int row) => IntegerDot(wih, row * cell.InputSize, qx) * (sih[row] * sx) + cell.BiasIh[row];
        float StateGate(int row, sbyte[] state) => IntegerDot(whh, row * hidden, state) * (shh[row] * StateScale);

        var next = new float[hidden];
        var r = new float[hidden];
        var z = new float[hidden];
        for (int j = 0; j < hidden; j++)
        {
            r[j] = (float)_activations.Sigmoid(InputGate(j) + StateGate(j, qh) + cell.BiasHh[j]);
            z[j] = (float)_activations.Sigmoid(InputGate(hidden + j) + StateGate(hidden + j, qh) + cell.BiasHh[hidden + j]);
        }

        if (_gru.Convention == GruConvention.PyTorch)
        {
            for (int j = 0; j < hidden; j++)
            {
                int row = 2 * hidden + j;
                float n = (float)_activations.Tanh(InputGate(row) + r[j] * (StateGate(row, qh) + cell.BiasHh[row]));
                next[j] = (1 - z[j]) * n + z[j] * h[j];
            }
        }
        else
        {
            var resetState = new float[hidden];
            for (int j = 0; j < hidden; j++)
            {
                resetState[j] = r[j] * h[j];
            }

            sbyte[] qrh = QuantizeState(resetState);
            for (int j = 0; j < hidden; j++)
            {
                int row = 2 * hidden + j;
                float candidate = (float)_activations.Tanh(InputGate(row) + StateGate(row, qrh) + cell.BiasHh[row]);
                next[j] = (1 - z[j]) * h[j] + z[j] * candidate;
            }
        }

        return next;
    }

    /// <summary>Dynamic symmetric quantization of a vector: (q, scale) with x ≈ q · scale.</summary>
    public static (sbyte[] Quantized, float Scale) QuantizeDynamic(ReadOnlySpan<float> x)
    {
        float max = 0;
        foreach (float v in x)
        {
            max = MathF.Max(max, MathF.Abs(v));
        }

        var q = new sbyte[x.Length];
        if (max == 0)
        {
            return (q, 0f);
        }

        float inverse = 127f / max;
        for (int k = 0; k < x.Length; k++)
        {
            q[k] = (sbyte)Math.Clamp(MathF.Round(x[k] * inverse, MidpointRounding.ToEven), -127f, 127f);
        }

        return (q, max / 127f);
    }

    /// <summary>Quantizes a state vector (|h| ≤ 1) with the fixed scale <see cref="StateScale"/>.</summary>
    public static sbyte[] QuantizeState(ReadOnlySpan<float> h)
    {
        var q = new sbyte[h.Length];
        for (int k = 0; k < h.Length; k++)
        {
            q[k] = (sbyte)Math.Clamp(MathF.Round(h[k] * 127f, MidpointRounding.ToEven), -127f, 127f);
        }

        return q;
    }

    private static int IntegerDot(sbyte[] matrix, int offset, sbyte[] vector)
    {
        int sum = 0;
        for (int k = 0; k < vector.Length; k++)
        {
            sum += matrix[offset + k] * vector[k];
        }

        return sum;
    }
}
