using Xunit;

namespace TinyGru.Cli.Tests;

public sealed class InspectCommandTests
{
    [Fact]
    public void Prints_the_layer_table_of_the_shipped_model()
    {
        CliRun run = CliRun.Of("inspect", CliRun.ShippedModel);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("Embedding(1000 tokens, padding id 1)", run.Output);
        Assert.Contains("GRU layer 0 (pytorch, forward)", run.Output);
        Assert.Contains("Linear head (sigmoid)", run.Output);
        Assert.Contains("89,025", run.Output); // 1000·64 + 3·64·(64+64) + 6·64 + 64 + 1 parameters
        Assert.Contains("ok sha256:", run.Output);
    }

    [Fact]
    public void A_corrupted_model_fails_with_one_line_naming_the_field()
    {
        string path = Path.Combine(CliRun.TempDirectory(), "corrupt.tgru");
        string text = File.ReadAllText(CliRun.ShippedModel);
        int data = text.IndexOf("\"data\": \"", text.IndexOf("gru.weight_hh_l0", StringComparison.Ordinal), StringComparison.Ordinal) + 20;
        File.WriteAllText(path, text[..data] + (text[data] == 'Q' ? 'R' : 'Q') + text[(data + 1)..]);

        CliRun run = CliRun.Of("inspect", path);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("", run.Output);
        string line = Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", line);
        Assert.Contains("corrupt.tgru(", line);
        Assert.Contains("tensors[\"gru.weight_hh_l0\"].checksum: checksum mismatch", line);
    }

    [Fact]
    public void A_missing_file_fails_cleanly()
    {
        CliRun run = CliRun.Of("inspect", "/nonexistent/model.tgru");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot be read", run.Error);
    }

    [Fact]
    public void Help_lists_the_commands()
    {
        CliRun run = CliRun.Of("--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("inspect", run.Output);
        Assert.Contains("predict", run.Output);
        Assert.Contains("import", run.Output);
    }
}
