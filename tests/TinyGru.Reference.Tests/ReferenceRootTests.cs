using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Reference.Tests;

public sealed class ReferenceRootTests
{
    [Fact]
    public void The_environment_override_wins_over_the_shared_folder()
    {
        string custom = Directory.CreateTempSubdirectory("tinygru-ref-").FullName;

        Assert.Equal(custom, ReferenceRoot.Resolve(custom, ReferenceRoot.RepositoryRoot));
    }

    [Fact]
    public void Without_an_override_the_shared_folder_beside_the_repository_is_used()
    {
        string expected = Path.GetFullPath(Path.Combine(ReferenceRoot.RepositoryRoot, "..", "shared", "reference"));

        Assert.Equal(expected, ReferenceRoot.Resolve(null, ReferenceRoot.RepositoryRoot));
    }

    [Fact]
    public void A_missing_folder_fails_loudly_instead_of_yielding_no_cases()
    {
        Assert.Throws<DirectoryNotFoundException>(() => ReferenceRoot.Resolve("/nonexistent/reference", ReferenceRoot.RepositoryRoot));
        Assert.Throws<DirectoryNotFoundException>(() => ReferenceRoot.Resolve(null, "/nonexistent/repository"));
    }
}
