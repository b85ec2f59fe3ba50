using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TinyGru.Generators.Tests;

/// <summary>
/// What the generated code should pick in this process, computed from the runtime's ISA flags independently of the
/// generated code (which the tests compare against it). Also compiled into tests/TinyGru.Generators.NeonParity (a
/// linked file), so the x64 and ARM64 checks share one statement of the rule.
/// </summary>
internal static class ExpectedKernels
{
    /// <summary>The w8a8 integer dot-product kernel the generated <c>IntegerDotPath</c> must name.</summary>
    public static string IntegerDotPath =>
        Avx512F.IsSupported ? (AvxVnni.IsSupported ? "avxvnni" : Avx512BW.IsSupported ? "avx512bw" : "avx2")
        : Avx2.IsSupported && Fma.IsSupported ? (AvxVnni.IsSupported ? "avxvnni" : "avx2")
        : AdvSimd.IsSupported ? (Dp.IsSupported ? "advsimd-dp" : "advsimd")
        : Vector128.IsHardwareAccelerated ? "vector128"
        : "scalar";
}
