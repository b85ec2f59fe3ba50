extern alias generator;

using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using TrackingNames = generator::TinyGru.Generators.TrackingNames;

namespace TinyGru.Generators.Tests;

/// <summary>Editing unrelated source must not rerun parsing or emission; editing the model file must.</summary>
public sealed class IncrementalTests
{
    private const string Class = "namespace N;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic partial class M;\n";

    private static IncrementalStepRunReason[] Reasons(GeneratorDriver driver, string step) =>
        driver.GetRunResult().Results.Single().TrackedSteps.TryGetValue(step, out ImmutableArray<IncrementalGeneratorRunStep> runs)
            ? runs.SelectMany(r => r.Outputs).Select(o => o.Reason).ToArray()
            : System.Array.Empty<IncrementalStepRunReason>();

    [Fact]
    public void Unrelated_edit_leaves_parse_match_and_emit_cached()
    {
        string modelText = TestModels.SmallModelText();
        CSharpCompilation compilation = GeneratorHarness.Compilation(Class, "namespace N; public class Other { public int A; }");
        GeneratorDriver driver = GeneratorHarness.Driver(new[] { new InMemoryAdditionalText("/project/models/model.tgru", modelText) });
        driver = driver.RunGenerators(compilation, TestContext.Current.CancellationToken);

        // Edit the unrelated file.
        SyntaxTree other = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(other,
            other.WithChangedText(SourceText.From("namespace N; public class Other { public int A; public int B; }")));
        driver = driver.RunGenerators(edited, TestContext.Current.CancellationToken);

        foreach (string step in new[] { TrackingNames.ModelFile, TrackingNames.Match, TrackingNames.Emit })
        {
            IncrementalStepRunReason[] reasons = Reasons(driver, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {r}"));
        }
    }

    [Fact]
    public void Editing_the_model_file_reparses_and_reemits()
    {
        string modelText = TestModels.SmallModelText();
        var file = new InMemoryAdditionalText("/project/models/model.tgru", modelText);
        CSharpCompilation compilation = GeneratorHarness.Compilation(Class);
        GeneratorDriver driver = GeneratorHarness.Driver(new[] { file }).RunGenerators(compilation, TestContext.Current.CancellationToken);
        var changed = new InMemoryAdditionalText("/project/models/model.tgru", modelText.Replace("\"producer\": \"", "\"producer\": \"edited "));
        driver = driver.ReplaceAdditionalText(file, changed).RunGenerators(compilation, TestContext.Current.CancellationToken);
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, TrackingNames.ModelFile));
        Assert.Contains(IncrementalStepRunReason.Modified, Reasons(driver, TrackingNames.Emit));
    }
}
