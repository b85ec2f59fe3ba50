extern alias generator;

using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Model.Quantization;
using TinyGru.Quantization;
using TinyGru.ReferenceData;
using Xunit;
using Gen = generator::TinyGru.Generators;

namespace TinyGru.Generators.Tests;

/// <summary>One test per TGRU diagnostic: each is reported where it belongs, and the generator never throws.</summary>
public sealed class DiagnosticTests
{
    private const string ModelPath = "/project/models/model.tgru";
    private const string Class = "namespace N;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic partial class M;\n";
    private static readonly Lazy<string> Valid = new(TestModels.SmallModelText);

    private static Diagnostic Single(GeneratorOutcome outcome, string id)
    {
        Diagnostic[] all = outcome.TinyGruDiagnostics.ToArray();
        Assert.True(all.Length == 1 && all[0].Id == id, $"expected exactly {id}, got: {string.Join("; ", all.Select(d => d.ToString()))}");
        return all[0];
    }

    private static GeneratorOutcome Run(string source, string? modelText = null, string modelPath = ModelPath, IReadOnlyDictionary<string, string>? properties = null) =>
        GeneratorHarness.Run(new[] { source }, modelText is null ? Array.Empty<AdditionalText>() : new[] { new InMemoryAdditionalText(modelPath, modelText) }, properties);

    [Fact]
    public void Valid_model_gives_no_diagnostic_and_compiles()
    {
        GeneratorOutcome outcome = Run(Class, Valid.Value);
        Assert.Empty(outcome.TinyGruDiagnostics);
        Assert.NotNull(outcome.GeneratedSource);
        GeneratorHarness.Load(outcome.Output);
    }

    [Fact]
    public void TGRU001_model_file_not_among_additional_files()
    {
        Diagnostic d = Single(Run(Class, Valid.Value, "/project/other/model2.tgru"), "TGRU001");
        Assert.Contains("../models/model.tgru", d.GetMessage());
        Assert.Equal(GeneratorHarness.SourcePath, d.Location.GetLineSpan().Path);
    }

    [Fact]
    public void TGRU002_invalid_file_is_reported_inside_the_model_file_at_the_readers_line_and_column()
    {
        string broken = Valid.Value.Replace("\"hiddenSize\": 16", "\"hiddenSize\": \"sixteen\"");
        Assert.NotEqual(Valid.Value, broken);
        Diagnostic d = Single(Run(Class, broken), "TGRU002");
        Assert.Contains("architecture.gru.hiddenSize", d.GetMessage());
        FileLinePositionSpan span = d.Location.GetLineSpan();
        Assert.Equal(ModelPath, span.Path);
        int line = broken.Split('\n').Select((text, i) => (text, i)).First(p => p.text.Contains("\"sixteen\"")).i;
        Assert.Equal(line, span.StartLinePosition.Line);
    }

    [Fact]
    public void TGRU002_truncated_json()
    {
        Diagnostic d = Single(Run(Class, Valid.Value.Substring(0, Valid.Value.Length / 2)), "TGRU002");
        Assert.Contains("JSON", d.GetMessage());
    }

    [Fact]
    public void TGRU003_unsupported_format_version()
    {
        Diagnostic d = Single(Run(Class, Valid.Value.Replace("\"formatVersion\": 1", "\"formatVersion\": 2")), "TGRU003");
        Assert.Contains("formatVersion", d.GetMessage());
    }

    [Fact]
    public void TGRU004_unsupported_convention_or_tokenizer()
    {
        Single(Run(Class, Valid.Value.Replace("\"convention\": \"pytorch\"", "\"convention\": \"lstm\"")), "TGRU004");
        string text = TinyGru.Model.Format.ModelFileWriter.ToText(TestModels.TextModel()).Replace("\"review-v1\"", "\"bpe-v9\"");
        Diagnostic d = Single(Run(Class, text), "TGRU004");
        Assert.Contains("bpe-v9", d.GetMessage());
    }

    [Fact]
    public void TGRU005_class_not_partial() =>
        Single(Run("namespace N;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic class M { }\n", Valid.Value), "TGRU005");

    [Fact]
    public void TGRU006_nested_class() =>
        Single(Run("namespace N;\npublic partial class Outer { [TinyGru.GruModel(\"../models/model.tgru\")] public partial class M; }\n", Valid.Value), "TGRU006");

    [Fact]
    public void TGRU007_generic_class() =>
        Single(Run("namespace N;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic partial class M<T>;\n", Valid.Value), "TGRU007");

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"models/model.json\"")]
    [InlineData("null")]
    public void TGRU008_attribute_misuse(string argument) =>
        Single(Run("namespace N;\n[TinyGru.GruModel(" + argument + ")]\npublic partial class M;\n", Valid.Value), "TGRU008");

    [Fact]
    public void TGRU009_model_above_the_size_threshold_warns_and_still_generates()
    {
        var properties = new Dictionary<string, string> { ["build_property.projectdir"] = GeneratorHarness.ProjectDir, ["build_property.tinygrumaxmodelbytes"] = "1000" };
        GeneratorOutcome outcome = Run(Class, Valid.Value, ModelPath, properties);
        Diagnostic d = Single(outcome, "TGRU009");
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.NotNull(outcome.GeneratedSource);
    }

    [Fact]
    public void TGRU009_counts_int8_weights_as_one_byte()
    {
        // f04 (I = 7, H = 16): 1,104 weights + 96 biases = 4,800 bytes as float32; as int8 1,104 + 4 · 96 row scales
        // + 4 · 96 bias bytes = 1,872 (what the model file's payloads hold). A threshold between the two warns for the
        // float file only.
        GruModel model = ForwardCase.Load("gru/forward/f04_i7_h16_seq1.json").ToModel();
        GruModel int8 = Quantizer.Quantize(model, QuantizationMode.W8A8);
        Assert.Equal(4800, model.Tensors.Sum(t => t.PayloadBytes));
        Assert.Equal(1872, int8.Tensors.Sum(t => t.PayloadBytes));
        string quantized = ModelFileWriter.ToText(int8);
        var properties = new Dictionary<string, string> { ["build_property.projectdir"] = GeneratorHarness.ProjectDir, ["build_property.tinygrumaxmodelbytes"] = "3000" };
        Assert.Contains("4800 bytes", Single(Run(Class, Valid.Value, ModelPath, properties), "TGRU009").GetMessage(CultureInfo.InvariantCulture));
        Assert.DoesNotContain(Run(Class, quantized, ModelPath, properties).TinyGruDiagnostics, d => d.Id == "TGRU009");
        properties["build_property.tinygrumaxmodelbytes"] = "1800";
        Assert.Contains("1872 bytes", Single(Run(Class, quantized, ModelPath, properties), "TGRU009").GetMessage(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TGRU010_ambiguous_path()
    {
        GeneratorOutcome outcome = GeneratorHarness.Run(
            new[] { "namespace N;\n[TinyGru.GruModel(\"shared/model.tgru\")]\npublic partial class M;\n" },
            new[] { new InMemoryAdditionalText("/a/shared/model.tgru", Valid.Value), new InMemoryAdditionalText("/b/shared/model.tgru", Valid.Value) });
        Single(outcome, "TGRU010");
    }

    [Fact]
    public void TGRU011_emitter_failure_becomes_a_diagnostic_not_an_exception()
    {
        // A model spec that cannot exist after validation (no tensors): the emitter must report, not throw.
        var @class = new Gen.Model.ModelClassSpec("N", "M", "m.tgru", "/project/src/Model.cs", null, Gen.Model.EquatableArray.Empty<Gen.Model.DiagnosticInfo>());
        var model = new Gen.Model.ModelSpec(false, 2, 3, 1, false, 0, -1, 0, false, null, Gen.Model.EquatableArray.Empty<Gen.Model.TensorSpec>(), 0, "test", null);
        Gen.Model.EmitResult result = Gen.GruModelGenerator.Emitter.Emit(new Gen.Model.GenerationSpec(@class, model, Gen.Model.EquatableArray.Empty<Gen.Model.DiagnosticInfo>()), TestContext.Current.CancellationToken);
        Assert.Null(result.Source);
        Assert.Equal("TGRU011", Assert.Single(result.Diagnostics).Id);
    }

    [Fact]
    public void TGRU012_target_framework_without_intrinsics()
    {
        // No references at all: no Vector512, no InlineArrayAttribute.
        CSharpCompilation compilation = CSharpCompilation.Create("Old", new[] { CSharpSyntaxTree.ParseText(Class, GeneratorHarness.ParseOptions, GeneratorHarness.SourcePath, cancellationToken: TestContext.Current.CancellationToken) },
            Array.Empty<MetadataReference>(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = GeneratorHarness.Driver(new[] { new InMemoryAdditionalText(ModelPath, Valid.Value) });
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out var diagnostics, TestContext.Current.CancellationToken);
        Assert.Null(driver.GetRunResult().Results.Single().Exception);
        Assert.Contains(diagnostics, d => d.Id == "TGRU012");
    }

    [Fact]
    public void Every_descriptor_has_a_test_and_a_unique_id()
    {
        string[] ids = Gen.DiagnosticDescriptors.All.Select(d => d.Id).ToArray();
        Assert.Equal(ids.Distinct().Count(), ids.Length);
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("TGRU", StringComparison.Ordinal)).Select(n => n.Substring(0, 7)).ToHashSet();
        Assert.All(ids, id => Assert.Contains(id, tested));
    }
}
