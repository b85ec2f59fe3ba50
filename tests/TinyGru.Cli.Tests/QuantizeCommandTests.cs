using System.Globalization;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Model.Quantization;
using Xunit;

namespace TinyGru.Cli.Tests;

public sealed class QuantizeCommandTests
{
    [Fact]
    public void Quantizes_the_shipped_model_and_reports_the_error()
    {
        string output = Path.Combine(CliRun.TempDirectory(), "int8.tgru");

        CliRun run = CliRun.Of("quantize", CliRun.ShippedModel, "-o", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("gru.weight_hh_l0", run.Output);
        Assert.Contains("Output deviation vs float on 64 calibration sequences", run.Output);
        Assert.Contains("Same label as float:", run.Output);
        GruModel model = ModelFileReader.Read(output);
        Assert.Equal(QuantizationMode.W8A32, model.Quantization!.Mode);
        Assert.Contains("int8 weights (w8a32)", CliRun.Of("inspect", output).Output);

        // The int8 model still predicts what the float model predicts, to within int8 rounding.
        double Probability(string path) => double.Parse(
            CliRun.Of("predict", path, "--tokens", "12,7,256,3,89").Output.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2], CultureInfo.InvariantCulture);
        Assert.Equal(Probability(CliRun.ShippedModel), Probability(output), 2e-3);
    }

    [Fact]
    public void A_bad_calibration_file_is_named_and_nothing_is_written()
    {
        string directory = CliRun.TempDirectory();
        File.WriteAllText(Path.Combine(directory, "calibration.txt"), "1 2 3\nnot ids\n");
        string output = Path.Combine(directory, "int8.tgru");

        CliRun run = CliRun.Of("quantize", CliRun.ShippedModel, "-o", output, "--calibration", Path.Combine(directory, "calibration.txt"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("calibration.txt:2", run.Error);
        Assert.False(File.Exists(output));
    }
}
