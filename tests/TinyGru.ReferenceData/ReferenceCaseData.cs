using Xunit;

namespace TinyGru.ReferenceData;

/// <summary>
/// Theory data for data-driven reference tests: one row per case file of a family, carrying the file's
/// relative path and its declared convention, so test names (and the test summary) say both.
/// </summary>
public static class ReferenceCaseData
{
    /// <summary>Rows (case path, convention) for every case file of <paramref name="family"/>.</summary>
    public static TheoryData<string, string> Of(string family)
    {
        var data = new TheoryData<string, string>();
        foreach (string path in ReferenceRoot.CasesOf(family))
        {
            data.Add(path, ReferenceRoot.ConventionOf(path));
        }

        return data;
    }
}
