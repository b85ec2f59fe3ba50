using System;
using System.CommandLine;
using System.IO;
using TinyGru.Cli.Commands;

namespace TinyGru.Cli;

/// <summary>Entry point of <c>tinygru</c>.</summary>
public static class Program
{
    /// <summary>Runs the command line; returns the process exit code (0 success, 1 bad input or failure).</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line against the given writers (used by tests).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var root = new RootCommand(
            "TinyGru: GRU models for .NET — inspect, run and import models that the TinyGru source generator compiles into C#.")
        {
            InspectCommand.Create(console),
            PredictCommand.Create(console),
            ImportCommand.Create(console),
            QuantizeCommand.Create(console),
            TrainCommand.Create(console),
        };

        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
