using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary>
/// Theory rows (reference case, convention, model file) over the compiled models. The first two parameters are named
/// as in the other reference tests, so tests/run-all.sh counts these cases by family and convention too.
/// </summary>
public static class ParityCases
{
    /// <summary>Float models of <paramref name="family"/> (compared with PyTorch).</summary>
    public static TheoryData<string, string, string> Float(string family) => Rows(m => m.QuantizationMode is null && m.ReferenceCase.StartsWith(family + "/", StringComparison.Ordinal));

    /// <summary>int8 models of every family (compared with the reference engine running the same int8 model).</summary>
    public static TheoryData<string, string, string> Quantized() => Rows(m => m.QuantizationMode is not null);

    /// <summary>Every model.</summary>
    public static TheoryData<string, string, string> All() => Rows(_ => true);

    private static TheoryData<string, string, string> Rows(Func<ParityModel, bool> which)
    {
        var data = new TheoryData<string, string, string>();
        foreach (ParityModel m in ParityModel.All.Values.Where(which).OrderBy(m => m.File, StringComparer.Ordinal))
        {
            data.Add(m.ReferenceCase, ReferenceRoot.ConventionOf(m.ReferenceCase), m.File);
        }

        return data;
    }
}
