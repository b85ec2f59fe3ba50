using System.Linq;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Reference.Tests;

/// <summary>Every <c>gru/forward</c> golden case: outputs at every step and final states of every layer and direction.</summary>
public sealed class GruForwardTests
{
    /// <summary>One test case per JSON file in <c>gru/forward</c>, found when the tests are discovered.</summary>
    public static TheoryData<string, string> Cases => ReferenceCaseData.Of("gru/forward");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Matches_pytorch(string referenceCase, string convention)
    {
        ForwardCase c = ForwardCase.Load(referenceCase);
        Assert.Equal(convention, Model.Architecture.GruConventionNames.ToName(c.Convention));
        var engine = new ReferenceEngine(c.ToModel());

        for (int b = 0; b < c.Batch; b++)
        {
            GruRun run = engine.RunGru(c.Input[b], c.Lengths[b], c.InitialStateOf(b));
            for (int t = 0; t < c.Output[b].Length; t++)
            {
                Close.Equal(c.Output[b][t], run.Outputs[t], ReferenceTolerances.GruForward, $"{c.Name} output[{b}][{t}]");
            }

            for (int s = 0; s < c.HN.Length; s++)
            {
                Close.Equal(c.HN[s][b], run.FinalStates[s], ReferenceTolerances.GruForward, $"{c.Name} h_n[{s}][{b}]");
            }
        }
    }

    [Fact]
    public void Reference_root_covers_both_conventions_stacks_bidirectional_and_packed_sequences()
    {
        // Guards the data-driven suite against passing on an empty or partial reference folder.
        ForwardCase[] cases = ReferenceRoot.CasesOf("gru/forward").Select(ForwardCase.Load).ToArray();
        Assert.Contains(cases, c => c.Convention == Model.Architecture.GruConvention.PyTorch);
        Assert.Contains(cases, c => c.Convention == Model.Architecture.GruConvention.Cho2014);
        Assert.Contains(cases, c => c.Layers > 1);
        Assert.Contains(cases, c => c.Bidirectional);
        Assert.Contains(cases, c => c.Lengths.Distinct().Count() > 1);
    }
}
