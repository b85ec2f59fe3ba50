using System;

namespace TinyGru.Reference;

/// <summary>
/// σ and tanh inside the GRU cells as <see cref="ReferenceEngine"/> evaluates them: <see cref="Exact"/> (float64) unless a
/// caller passes others. Tests of generated code pass the generated class's own scalar approximations when those are
/// coarser than the comparison: a <c>w8a8</c> class uses a [7/4] rational (|error| ≤ 2.5e-5), and an error that size
/// moves the state quantizer's rounding (h·127 across x.5) often enough to hide everything else. With the class's own
/// σ/tanh the comparison checks the rest — quantizers, integer sums, rescale, update — at the float tolerance; the
/// rational's own error is checked against the exact functions separately.
/// </summary>
/// <param name="Sigmoid">σ(a) for a cell pre-activation a.</param>
/// <param name="Tanh">tanh(a) for a cell pre-activation a.</param>
public sealed record CellActivations(Func<double, double> Sigmoid, Func<double, double> Tanh)
{
    /// <summary>1 / (1 + e^−a) and tanh in float64.</summary>
    public static CellActivations Exact { get; } = new(a => 1 / (1 + Math.Exp(-a)), Math.Tanh);

    /// <summary>Float σ and tanh (a generated class's scalar <c>Sigmoid(float)</c> and <c>Tanh(float)</c>) as cell activations.</summary>
    public static CellActivations FromSingle(Func<float, float> sigmoid, Func<float, float> tanh) =>
        new(a => sigmoid((float)a), a => tanh((float)a));
}
