using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.Arm;
using TinyGru.Generators.Tests;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary>
/// Fails the run when this (possibly emulated) CPU did not take the path the run is meant to test: the ISA guard
/// (TINYGRU_EXPECT_ISA / TINYGRU_FORBID_ISA, set by tests/run-arm64.sh per qemu CPU model) and the generated classes'
/// SimdPath (TINYGRU_EXPECT_PATH when set; on ARM64 always advsimd) and the w8a8 classes' IntegerDotPath.
/// </summary>
public sealed class SimdPathTests
{
    [Fact]
    public void The_cpu_gives_the_instruction_sets_this_run_is_meant_to_test()
    {
        Assert.Empty(IsaGuard.Violations());
    }

    [Fact]
    public void Every_model_runs_the_expected_simd_path()
    {
        string? expected = Environment.GetEnvironmentVariable("TINYGRU_EXPECT_PATH");
        if (string.IsNullOrEmpty(expected) && RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            expected = AdvSimd.IsSupported ? "advsimd" : "vector128";
        }

        foreach (ParityModel m in ParityModel.All.Values)
        {
            if (expected is not null)
            {
                Assert.True(expected == m.SimdPath, $"{m.File}: the generated code runs the {m.SimdPath} path, this run must test {expected}");
            }
            else
            {
                Assert.Contains(m.SimdPath, new[] { "avx512", "avx2", "advsimd", "vector128", "scalar" });
            }
        }
    }

    [Fact]
    public void Every_w8a8_model_runs_the_integer_kernel_this_cpu_calls_for()
    {
        // Raspberry Pi 5 (cortex-a76, Dp): sdot; Pi 4 (cortex-a72): smull + sadalp. The ISA guard above makes sure the
        // emulated CPU is the one the run is meant to test.
        string expected = ExpectedKernels.IntegerDotPath;
        ParityModel[] w8a8 = ParityModel.All.Values.Where(m => m.QuantizationMode == "w8a8").ToArray();
        Assert.NotEmpty(w8a8);
        foreach (ParityModel m in w8a8)
        {
            Assert.True(expected == m.IntegerDotPath, $"{m.File}: the generated code runs the {m.IntegerDotPath} integer kernel, this CPU calls for {expected}");
        }
    }
}
