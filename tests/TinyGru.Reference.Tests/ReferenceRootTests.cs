using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Reference.Tests;

public sealed class ReferenceRootTests
{
    /// <summary>A fake checkout: workspace/repository beside workspace/shared/reference.</summary>
    private static (string Repository, string SharedReference) FakeWorkspace()
    {
        string workspace = Directory.CreateTempSubdirectory("tinygru-workspace-").FullName;
        string repository = Directory.CreateDirectory(Path.Combine(workspace, "repository")).FullName;
        string reference = Directory.CreateDirectory(Path.Combine(workspace, "shared", "reference")).FullName;
        return (repository, reference);
    }

    [Fact]
    public void The_environment_override_wins_over_the_shared_folder()
    {
        (string repository, _) = FakeWorkspace();
        string custom = Directory.CreateTempSubdirectory("tinygru-ref-").FullName;

        Assert.Equal(custom, ReferenceRoot.Resolve(custom, repository));
    }

    [Fact]
    public void Without_an_override_the_shared_folder_beside_the_repository_is_used()
    {
        (string repository, string reference) = FakeWorkspace();

        Assert.Equal(reference, ReferenceRoot.Resolve(null, repository));
        Assert.Equal(reference, ReferenceRoot.Resolve("", repository));
    }

    [Fact]
    public void A_missing_folder_fails_loudly_instead_of_yielding_no_cases()
    {
        (string repository, _) = FakeWorkspace();

        Assert.Throws<DirectoryNotFoundException>(() => ReferenceRoot.Resolve("/nonexistent/reference", repository));
        Assert.Throws<DirectoryNotFoundException>(() => ReferenceRoot.Resolve(null, "/nonexistent/repository"));
    }
}
