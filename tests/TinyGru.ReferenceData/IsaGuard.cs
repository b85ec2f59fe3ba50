using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;

namespace TinyGru.ReferenceData;

/// <summary>
/// Makes a test run fail when the (possibly emulated) CPU does not give the instruction sets the run is meant to
/// test: <c>TINYGRU_EXPECT_ISA=AdvSimd,Dp</c> lists what must be there, <c>TINYGRU_FORBID_ISA=Dp</c> what must not.
/// Without this, qemu's cortex-a72 and cortex-a76 runs (or an x64 run with a JIT switch) could silently test the same path.
/// </summary>
public static class IsaGuard
{
    /// <summary>The variable listing instruction sets that must be supported.</summary>
    public const string ExpectVariable = "TINYGRU_EXPECT_ISA";

    /// <summary>The variable listing instruction sets that must not be supported.</summary>
    public const string ForbidVariable = "TINYGRU_FORBID_ISA";

    /// <summary>Whether this process can use <paramref name="isa"/> (arm64, x64, AdvSimd, Dp, Rdm, Avx2, Fma, Avx512F, Avx512BW, Vector128).</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public static bool Has(string isa) => isa switch
    {
        "arm64" => RuntimeInformation.ProcessArchitecture == Architecture.Arm64,
        "x64" => RuntimeInformation.ProcessArchitecture == Architecture.X64,
        "AdvSimd" => AdvSimd.IsSupported,
        "Dp" => Dp.IsSupported,
        "Rdm" => Rdm.IsSupported,
        "Avx2" => Avx2.IsSupported,
        "Fma" => Fma.IsSupported,
        "Avx512F" => Avx512F.IsSupported,
        "Avx512BW" => Avx512BW.IsSupported,
        "Vector128" => System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated,
        _ => throw new ArgumentException($"unknown instruction set '{isa}' in {ExpectVariable}/{ForbidVariable}"),
    };

    /// <summary>The names in an environment variable (comma-separated), or none.</summary>
    public static string[] Listed(string variable) =>
        (Environment.GetEnvironmentVariable(variable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Problems with the current CPU against both variables; empty when it gives what the run expects.</summary>
    public static IReadOnlyList<string> Violations() =>
        Listed(ExpectVariable).Where(isa => !Has(isa)).Select(isa => $"{isa} is expected ({ExpectVariable}) but not supported on this CPU")
            .Concat(Listed(ForbidVariable).Where(Has).Select(isa => $"{isa} is supported, but this run must test the path without it ({ForbidVariable})"))
            .ToArray();
}
