using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace TinyGru.ReferenceData;

/// <summary>
/// Where the PyTorch golden vectors are: <c>$TINYGRU_REFERENCE_DIR</c> when set, otherwise
/// <c>../shared/reference</c> beside the repository root (the folder holding <c>TinyGru.sln</c>).
/// </summary>
public static class ReferenceRoot
{
    /// <summary>The environment variable that overrides the reference root.</summary>
    public const string EnvironmentVariable = "TINYGRU_REFERENCE_DIR";

    /// <summary>The reference root directory.</summary>
    /// <exception cref="DirectoryNotFoundException">Neither the override nor the default exists: tests must fail, not pass with zero cases.</exception>
    public static string Directory
    {
        get
        {
            string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
            return Resolve(overridden, string.IsNullOrEmpty(overridden) ? RepositoryRoot : "");
        }
    }

    /// <summary>The reference root for an override value (null or empty: none) and a repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">The chosen folder does not exist.</exception>
    public static string Resolve(string? overridden, string repositoryRoot)
    {
        if (!string.IsNullOrEmpty(overridden))
        {
            return System.IO.Directory.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new DirectoryNotFoundException($"{EnvironmentVariable}={overridden} does not exist");
        }

        string shared = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "reference"));
        return System.IO.Directory.Exists(shared)
            ? shared
            : throw new DirectoryNotFoundException(
                $"the PyTorch reference vectors are not at {shared}; put shared/ beside the repository or set {EnvironmentVariable}");
    }

    /// <summary>The repository root: the nearest folder above the test binaries that holds <c>TinyGru.sln</c>.</summary>
    public static string RepositoryRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "TinyGru.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException($"no TinyGru.sln above {AppContext.BaseDirectory}");
        }
    }

    /// <summary>
    /// Every case file of a family (a folder under the root, e.g. <c>gru/forward</c>), as paths relative to
    /// the root with forward slashes, sorted. Found at run time: a file dropped into the folder is a new case.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The family's folder does not exist.</exception>
    public static IReadOnlyList<string> CasesOf(string family)
    {
        string root = Directory;
        string folder = Path.Combine(root, family);
        if (!System.IO.Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"reference family '{family}' has no folder at {folder}");
        }

        return System.IO.Directory.EnumerateFiles(folder, "*.json", SearchOption.TopDirectoryOnly)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .OrderBy(path => path, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>The absolute path of a case given relative to the root.</summary>
    public static string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    /// <summary>
    /// The <c>formula</c> (GRU convention) a case file declares, read without parsing the whole file so that a
    /// malformed case still becomes its own failing test; <c>"unknown"</c> when the field cannot be found.
    /// </summary>
    public static string ConventionOf(string relativePath)
    {
        using var reader = new StreamReader(PathOf(relativePath));
        var head = new char[8192];
        int read = reader.ReadBlock(head, 0, head.Length);
        Match match = Regex.Match(new string(head, 0, read), "\"formula\"\\s*:\\s*\"([a-z0-9]+)\"");
        return match.Success ? match.Groups[1].Value : "unknown";
    }
}
