using System;
using System.IO;
using Spectre.Console;
using TinyGru.Import;
using TinyGru.Model.Format;
using TinyGru.Model.Validation;

namespace TinyGru.Cli;

/// <summary>
/// Where commands write: plain text and Spectre.Console tables to the output, one-line causes to the error
/// writer. Runs command bodies so that every expected failure becomes <c>error: cause</c> and exit code 1.
/// </summary>
internal sealed class CliConsole(TextWriter output, TextWriter error)
{
    /// <summary>Plain text output.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Rich output (tables) rendered to <see cref="Out"/>; colour only on a real terminal.</summary>
    public IAnsiConsole Rich { get; } = CreateRich(output);

    /// <summary>Runs <paramref name="body"/>; known failures print one line to the error writer and return 1.</summary>
    public int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is ModelFileException or ModelValidationException or ImportException
                                      or ArgumentException or InvalidOperationException or FormatException or IOException or UnauthorizedAccessException)
        {
            string message = e.Message.Split('\n')[0].TrimEnd('\r');
            if (e is ArgumentException { ParamName: { } parameter })
            {
                message = message.Replace($" (Parameter '{parameter}')", "");
            }

            error.WriteLine("error: " + message);
            return 1;
        }
    }

    /// <summary>Reports a usage problem found by a command itself.</summary>
    public int Fail(string message)
    {
        error.WriteLine("error: " + message);
        return 1;
    }

    private static IAnsiConsole CreateRich(TextWriter output)
    {
        bool terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        IAnsiConsole rich = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            rich.Profile.Width = 132; // files and pipes: wide enough that tables do not wrap
        }

        return rich;
    }
}
