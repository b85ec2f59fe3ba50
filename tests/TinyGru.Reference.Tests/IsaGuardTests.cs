using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Reference.Tests;

/// <summary>Fails the run when the CPU does not give the instruction sets the run is meant to cover (see <see cref="IsaGuard"/>).</summary>
public sealed class IsaGuardTests
{
    [Fact]
    public void The_cpu_gives_the_instruction_sets_this_run_is_meant_to_test()
    {
        Assert.Empty(IsaGuard.Violations());
    }

    [Fact]
    public void An_expectation_the_cpu_cannot_meet_is_reported()
    {
        string missing = IsaGuard.Has("arm64") ? "x64" : "arm64";
        Assert.False(IsaGuard.Has(missing));
        Assert.Throws<ArgumentException>(() => IsaGuard.Has("Sse9"));
    }
}
