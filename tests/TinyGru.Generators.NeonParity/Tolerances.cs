using TinyGru.ReferenceData;

namespace TinyGru.Generators.NeonParity;

/// <summary>How close the generated code must come to its ground truth.</summary>
public static class Tolerances
{
    /// <summary>
    /// Float models vs PyTorch: shared/reference/README.md's float32 tolerance (1e-5) plus twice the generated
    /// activations' documented maximum error (1e-6), as the generator's run-time parity tests use.
    /// </summary>
    public const double Float = ReferenceTolerances.GruForward + 2 * 1e-6;

    /// <summary>
    /// int8 models vs the reference engine on the same int8 model. w8a32: both compute in float32 on q·scale, so
    /// the float tolerance. w8a8: exact int32 dot products on both sides, so rounding-level too; the int8 kernels
    /// (another branch) may need to set their own, documented bound here.
    /// </summary>
    public static double Quantized(string mode) => mode switch
    {
        "w8a32" => Float,
        "w8a8" => Float,
        _ => throw new ArgumentException($"no tolerance for int8 mode '{mode}'"),
    };
}
