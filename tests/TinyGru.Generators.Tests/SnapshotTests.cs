using System;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyGru.Model.Format;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>
/// The emitted source of one small model, committed under Snapshots/, so changes to the generated code are reviewed as diffs.
/// To regenerate after an intended change: <c>TINYGRU_UPDATE_SNAPSHOTS=1 dotnet test tests/TinyGru.Generators.Tests</c>,
/// then review and commit the diff of Snapshots/.
/// </summary>
public sealed class SnapshotTests(ITestOutputHelper output)
{
    private const string Class = "namespace Snapshot;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic partial class TinyModel;\n";

    private static string Generate(string caseName)
    {
        string text = ModelFileWriter.ToText(ModelOf(caseName));
        return GeneratorHarness.RunModel(text, Class).GeneratedSource ?? throw new InvalidOperationException("nothing generated");
    }

    // "case.json" or "case.json@w8a8": the reference model, quantized when a mode is given.
    private static TinyGru.Model.GruModel ModelOf(string caseName)
    {
        string[] parts = caseName.Split('@');
        TinyGru.Model.GruModel model = ForwardCase.Load(parts[0]).ToModel();
        return parts.Length == 1 ? model
            : TinyGru.Quantization.Quantizer.Quantize(model, TinyGru.Model.Quantization.QuantizationSpec.TryParseMode(parts[1], out var mode) ? mode : throw new ArgumentException(caseName));
    }

    [Theory]
    [InlineData("gru/forward/f02_i1_h3_h0.json", "f02_i1_h3_h0.g.cs.txt")]
    [InlineData("gru/forward/c01_cho_i3_h7.json", "c01_cho_i3_h7.g.cs.txt")]
    [InlineData("gru/forward/f02_i1_h3_h0.json@w8a8", "f02_i1_h3_h0_w8a8.g.cs.txt")]
    [InlineData("gru/forward/f02_i1_h3_h0.json@w8a32", "f02_i1_h3_h0_w8a32.g.cs.txt")]
    public void Emitted_source_matches_the_committed_snapshot(string caseName, string snapshot)
    {
        string actual = Generate(caseName);
        string committed = Path.Combine(AppContext.BaseDirectory, "Snapshots", snapshot);
        if (Environment.GetEnvironmentVariable("TINYGRU_UPDATE_SNAPSHOTS") == "1")
        {
            string source = Path.Combine(ReferenceRoot.RepositoryRoot, "tests", "TinyGru.Generators.Tests", "Snapshots", snapshot);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            File.WriteAllText(source, actual);
            output.WriteLine("updated " + source);
            return;
        }

        Assert.True(File.Exists(committed), $"no snapshot {snapshot}: run with TINYGRU_UPDATE_SNAPSHOTS=1 to create it");
        string expected = File.ReadAllText(committed).Replace("\r\n", "\n");
        if (expected != actual)
        {
            string[] e = expected.Split('\n'), a = actual.Split('\n');
            int line = Enumerable.Range(0, Math.Min(e.Length, a.Length)).FirstOrDefault(i => e[i] != a[i], Math.Min(e.Length, a.Length));
            Assert.Fail($"{snapshot} differs at line {line + 1}:\n  expected: {(line < e.Length ? e[line] : "<end>")}\n  actual:   {(line < a.Length ? a[line] : "<end>")}\n" +
                        "If the change is intended, regenerate with TINYGRU_UPDATE_SNAPSHOTS=1 and commit the diff.");
        }
    }

    [Fact]
    public void Output_does_not_depend_on_the_current_culture()
    {
        // A culture whose minus sign is U+2212 and decimal separator a comma: float and int literals must not change.
        string invariant = Generate("gru/forward/f18_sat3_i16_h33.json");
        CultureInfo saved = CultureInfo.CurrentCulture;
        var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        odd.NumberFormat.NegativeSign = "\u2212";
        odd.NumberFormat.NumberDecimalSeparator = ",";
        try
        {
            CultureInfo.CurrentCulture = odd;
            Assert.Equal(invariant, Generate("gru/forward/f18_sat3_i16_h33.json"));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Fact]
    public void Generator_cost_for_the_largest_reference_model()
    {
        // Measurement, reported in the test output: generator time and emitted size for E=100, H=256, V=500.
        SentimentCase c = SentimentCase.Load("sentiment/s03_v500_e100_h256.json");
        string text = ModelFileWriter.ToText(c.ToModel());
        GeneratorHarness.RunModel(text, Class); // warm-up (JIT of the generator)
        GeneratorOutcome outcome = GeneratorHarness.RunModel(text, Class);
        Assert.NotNull(outcome.GeneratedSource);
        output.WriteLine($"s03 ({c.ToModel().ParameterCount} parameters): generator {outcome.Elapsed.TotalMilliseconds:F0} ms, emitted {outcome.GeneratedSource!.Length / 1024.0:F0} KiB of source");
    }
}
