extern alias generator;

using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using GruModelGenerator = generator::TinyGru.Generators.GruModelGenerator;

namespace TinyGru.Generators.Tests;

/// <summary>An AdditionalFile held in memory.</summary>
public sealed class InMemoryAdditionalText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    /// <inheritdoc/>
    public override string Path { get; } = path;

    /// <inheritdoc/>
    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>MSBuild properties as the compiler hands them to generators.</summary>
public sealed class TestOptionsProvider(IReadOnlyDictionary<string, string> global) : AnalyzerConfigOptionsProvider
{
    private sealed class Options(IReadOnlyDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            bool found = values.TryGetValue(key, out string? v);
            value = v ?? "";
            return found;
        }
    }

    private static readonly Options Empty = new(new Dictionary<string, string>());

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Empty;

    /// <inheritdoc/>
    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
}

/// <summary>The outcome of running the generator over one compilation.</summary>
public sealed record GeneratorOutcome(GeneratorDriver Driver, Compilation Output, ImmutableArray<Diagnostic> Diagnostics, string? GeneratedSource, TimeSpan Elapsed)
{
    /// <summary>The TGRU diagnostics.</summary>
    public IEnumerable<Diagnostic> TinyGruDiagnostics => Diagnostics.Where(d => d.Id.StartsWith("TGRU", StringComparison.Ordinal));
}

/// <summary>Runs the generator in a driver and compiles its output in memory.</summary>
public static class GeneratorHarness
{
    /// <summary>The project folder the tests pretend to build.</summary>
    public const string ProjectDir = "/project/";

    /// <summary>Where the test's source file lives.</summary>
    public const string SourcePath = "/project/src/Model.cs";

    private static int s_counter;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToArray());

    /// <summary>C# parse options of the test compilations.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.CSharp12);

    /// <summary>Creates a compilation of <paramref name="sources"/> (first one at <see cref="SourcePath"/>).</summary>
    public static CSharpCompilation Compilation(params string[] sources) => Compilation(false, sources);

    /// <summary>As <see cref="Compilation(string[])"/>, with <c>AllowUnsafeBlocks</c> when <paramref name="allowUnsafe"/>.</summary>
    public static CSharpCompilation Compilation(bool allowUnsafe, params string[] sources) =>
        CSharpCompilation.Create(
            "TinyGruTest" + Interlocked.Increment(ref s_counter),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, i == 0 ? SourcePath : "/project/src/Extra" + i + ".cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable,
                allowUnsafe: allowUnsafe));

    /// <summary>Creates a driver for the generator with the given AdditionalFiles and MSBuild properties.</summary>
    public static GeneratorDriver Driver(IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new GruModelGenerator().AsSourceGenerator() },
            files,
            ParseOptions,
            new TestOptionsProvider(properties ?? new Dictionary<string, string> { ["build_property.projectdir"] = ProjectDir }),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator once.</summary>
    public static GeneratorOutcome Run(string[] sources, IEnumerable<AdditionalText> files, IReadOnlyDictionary<string, string>? properties = null, bool allowUnsafe = false)
    {
        CSharpCompilation compilation = Compilation(allowUnsafe, sources);
        GeneratorDriver driver = Driver(files, properties);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        watch.Stop();
        GeneratorDriverRunResult result = driver.GetRunResult();
        if (result.Results.Single().Exception is { } e)
        {
            throw new InvalidOperationException("the generator threw", e);
        }

        string? generated = result.GeneratedTrees.FirstOrDefault(t => !t.FilePath.EndsWith("GruModelAttribute.g.cs", StringComparison.Ordinal))?.ToString();
        return new GeneratorOutcome(driver, output, diagnostics, generated, watch.Elapsed);
    }

    /// <summary>Runs the generator on one model class bound to one model file.</summary>
    public static GeneratorOutcome RunModel(string modelText, string classSource, string modelPath = "/project/models/model.tgru", params string[] extraSources) =>
        RunModel(false, modelText, classSource, modelPath, extraSources);

    /// <summary>As <see cref="RunModel"/>, in a project with <c>AllowUnsafeBlocks</c> when <paramref name="allowUnsafe"/>.</summary>
    public static GeneratorOutcome RunModel(bool allowUnsafe, string modelText, string classSource, string modelPath, params string[] extraSources) =>
        Run(new[] { classSource }.Concat(extraSources).ToArray(), new[] { new InMemoryAdditionalText(modelPath, modelText) }, allowUnsafe: allowUnsafe);

    /// <summary>Compiles the generator's output and loads it; throws with the compiler errors when it does not compile.</summary>
    public static Assembly Load(Compilation output)
    {
        using var stream = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult result = output.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException("generated code does not compile:\n" + string.Join("\n",
                result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20)));
        }

        stream.Position = 0;
        return new AssemblyLoadContext("tinygru-test-" + Interlocked.Increment(ref s_counter), isCollectible: true).LoadFromStream(stream);
    }
}
