using TinyGru.ReferenceData;

namespace TinyGru.Cli.Tests;

/// <summary>One in-process run of <c>tinygru</c>.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = Program.Run(args, output, error);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>The model the README's main command runs.</summary>
    public static string ShippedModel => Path.Combine(ReferenceRoot.RepositoryRoot, "models", "demo-untrained-s02.tgru");

    /// <summary>A fresh temporary folder.</summary>
    public static string TempDirectory() => Directory.CreateTempSubdirectory("tinygru-cli-").FullName;
}
