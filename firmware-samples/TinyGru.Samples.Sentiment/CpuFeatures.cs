using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TinyGru.Samples.Sentiment;

/// <summary>The instruction sets this process may use (for NativeAOT: those compiled in and present on this CPU).</summary>
public static class CpuFeatures
{
    /// <summary>E.g. <c>arm64 AdvSimd Dp Rdm</c> or <c>x64 Avx2 Fma</c>.</summary>
    public static string Describe()
    {
        var names = new List<string> { RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant() };
        if (AdvSimd.IsSupported) names.Add("AdvSimd");
        if (Dp.IsSupported) names.Add("Dp");
        if (Rdm.IsSupported) names.Add("Rdm");
        if (Avx2.IsSupported) names.Add("Avx2");
        if (Fma.IsSupported) names.Add("Fma");
        if (Avx512F.IsSupported) names.Add("Avx512F");
        if (Avx512BW.IsSupported) names.Add("Avx512BW");
        if (AvxVnni.IsSupported) names.Add("AvxVnni");
        if (Vector128.IsHardwareAccelerated) names.Add("Vector128");
        return string.Join(' ', names);
    }
}
