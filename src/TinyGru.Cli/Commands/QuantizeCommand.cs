using System.CommandLine;
using System.Globalization;
using System.IO;
using Spectre.Console;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Model.Quantization;
using TinyGru.Quantization;

namespace TinyGru.Cli.Commands;

/// <summary><c>tinygru quantize &lt;model&gt; -o &lt;out&gt;</c>: int8 weights with one scale per row, and how much that costs.</summary>
internal static class QuantizeCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<FileInfo>("model") { Description = "A float32 TinyGru model file (.tgru)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The int8 model file to write.", Required = true };
        var mode = new Option<string>("--mode")
        {
            Description = "w8a32: int8 weights, float activations (accuracy first); w8a8: activations quantized per step too (speed first).",
            DefaultValueFactory = _ => QuantizationSpec.W8A32Name,
        };
        mode.AcceptOnlyFromAmong(QuantizationSpec.W8A32Name, QuantizationSpec.W8A8Name);
        var calibration = new Option<FileInfo?>("--calibration")
        {
            Description = "Sequences to measure the output deviation on, one per line: token ids, text (text models) or " +
                          "features (steps separated by ';', features by ','). Default: 64 seeded synthetic sequences.",
        };

        var command = new Command("quantize", "Quantize a model's weight matrices to int8 (one scale per output row; biases stay float) and report the error.")
        {
            model, output, mode, calibration,
        };
        command.SetAction(parse => console.Run(() =>
        {
            GruModel original = ModelFileReader.Read(parse.GetValue(model)!.FullName);
            QuantizationSpec.TryParseMode(parse.GetValue(mode), out QuantizationMode quantizationMode);
            GruModel quantized = Quantizer.Quantize(original, quantizationMode);

            FileInfo? calibrationFile = parse.GetValue(calibration);
            IReadOnlyList<CalibrationSequence> sequences;
            try
            {
                sequences = calibrationFile is null ? CalibrationSet.Synthetic(original) : CalibrationSet.Read(calibrationFile.FullName, original);
            }
            catch (FormatException e)
            {
                return console.Fail(e.Message);
            }

            QuantizationReport report = QuantizationReport.Measure(original, quantized, sequences);
            FileInfo to = parse.GetValue(output)!;
            ModelFileWriter.Write(quantized, to.FullName);
            Print(console, report, calibrationFile?.Name ?? "synthetic (seed 1)");
            long before = original.Tensors.Sum(t => t.PayloadBytes), after = quantized.Tensors.Sum(t => t.PayloadBytes);
            console.Out.WriteLine($"wrote {to.Name}: weights {before:N0} → {after:N0} bytes ({(double)after / before:P0})");
            return 0;
        }));
        return command;
    }

    private static void Print(CliConsole console, QuantizationReport report, string calibrationName)
    {
        var table = new Table().Title("Weight error (|w − q·s|)").AddColumns("tensor", "shape", "max |w|", "max error", "mean error");
        foreach (TensorError row in report.Tensors)
        {
            table.AddRow(Markup.Escape(row.Name), Markup.Escape(row.Shape), E(row.MaxAbsWeight), E(row.MaxAbsError), E(row.MeanAbsError));
        }

        console.Rich.Write(table);
        OutputDeviation d = report.Outputs;
        console.Out.WriteLine($"Output deviation vs float on {d.Sequences} calibration sequences ({calibrationName}), {d.What}: max {E(d.MaxAbs)}, mean {E(d.MeanAbs)}");
        if (d.LabelsAgreeing is int agreeing)
        {
            console.Out.WriteLine($"Same label as float: {agreeing} of {d.Sequences} ({(double)agreeing / d.Sequences:P1})");
        }
    }

    private static string E(double value) => value.ToString("0.000e+00", CultureInfo.InvariantCulture);
}
