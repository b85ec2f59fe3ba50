using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Cli.Tests;

public sealed class ImportCommandTests
{
    [Fact]
    public void Imports_a_bidirectional_stack_with_its_convention()
    {
        string output = Path.Combine(CliRun.TempDirectory(), "c04.tgru");

        CliRun run = CliRun.Of("import", ReferenceRoot.PathOf("gru/forward/c04_cho_i7_h17_l2_bi_packed.json"), "-o", output, "--convention", "cho2014");

        Assert.Equal(0, run.ExitCode);
        GruModel model = ModelFileReader.Read(output);
        Assert.Equal(new GruStackSpec(7, 17, 2, true, GruConvention.Cho2014), model.Architecture.Gru);
        Assert.Null(model.Architecture.Embedding);
        Assert.Null(model.Architecture.Head);
    }

    [Fact]
    public void A_state_dict_with_foreign_layers_is_refused()
    {
        string directory = CliRun.TempDirectory();
        string input = Path.Combine(directory, "lstm.json");
        File.WriteAllText(input, """
            { "rnn.weight_ih_l0": [[0.1]], "rnn.weight_hh_l0": [[0.1]], "rnn.bias_ih_l0": [0.0], "rnn.bias_hh_l0": [0.0],
              "attention.weight": [[1.0]] }
            """);

        CliRun run = CliRun.Of("import", input, "-o", Path.Combine(directory, "out.tgru"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("attention.weight", run.Error);
        Assert.False(File.Exists(Path.Combine(directory, "out.tgru")));
    }

    [Fact]
    public void An_unknown_convention_is_a_usage_error()
    {
        CliRun run = CliRun.Of("import", "x.json", "-o", "y.tgru", "--convention", "keras");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("keras", run.Error);
    }
}
