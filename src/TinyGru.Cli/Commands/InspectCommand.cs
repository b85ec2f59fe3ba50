using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using Spectre.Console;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Model.Tensors;

namespace TinyGru.Cli.Commands;

/// <summary><c>tinygru inspect &lt;model&gt;</c>: what a model file holds — layers, parameters, bytes, checksums, provenance.</summary>
internal static class InspectCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<FileInfo>("model") { Description = "A TinyGru model file (.tgru)." };
        var command = new Command("inspect", "Validate a model file and print its layer table, parameter counts, sizes, checksum status and provenance.")
        {
            model,
        };
        command.SetAction(parse => console.Run(() => Inspect(console, parse.GetValue(model)!)));
        return command;
    }

    private static int Inspect(CliConsole console, FileInfo file)
    {
        // Reading verifies every checksum, shape and value: reaching the table means all of them passed.
        GruModel model = ModelFileReader.Read(file.FullName);
        NetworkArchitecture architecture = model.Architecture;
        GruStackSpec gru = architecture.Gru;

        string precision = model.Quantization is { } q ? $"int8 weights ({q.ModeName})" : "float32";
        console.Out.WriteLine($"{file.Name}: TinyGru model, format version {ModelFileFormat.CurrentVersion}, {precision}, {file.Length.ToString("N0", CultureInfo.InvariantCulture)} bytes on disk");
        console.Out.WriteLine();

        var layers = new Table().Title("Layers").AddColumns("#", "layer", "input", "output", "parameters", "bytes");
        int index = 0;
        if (architecture.Embedding is { } embedding)
        {
            string padding = embedding.PaddingIndex is int p ? $", padding id {p}" : "";
            AddLayer(layers, index++, $"Embedding({embedding.VocabularySize} tokens{padding})", "token id", embedding.Dimension.ToString(CultureInfo.InvariantCulture),
                model, TensorNames.EmbeddingWeight);
        }

        for (int layer = 0; layer < gru.Layers; layer++)
        {
            string kind = $"GRU layer {layer} ({GruConventionNames.ToName(gru.Convention)}, {(gru.Bidirectional ? "bidirectional" : "forward")})";
            string[] names = Enumerable.Range(0, gru.Directions)
                .SelectMany(d => new[]
                {
                    TensorNames.WeightIh(layer, d == 1), TensorNames.WeightHh(layer, d == 1),
                    TensorNames.BiasIh(layer, d == 1), TensorNames.BiasHh(layer, d == 1),
                })
                .ToArray();
            AddLayer(layers, index++, kind, gru.LayerInputSize(layer).ToString(CultureInfo.InvariantCulture),
                $"{gru.OutputSize} (H={gru.HiddenSize})", model, names);
        }

        if (architecture.Head is { } head)
        {
            AddLayer(layers, index, $"Linear head ({head.Activation.ToString().ToLowerInvariant()})",
                architecture.HeadInputSize.ToString(CultureInfo.InvariantCulture), head.Outputs.ToString(CultureInfo.InvariantCulture),
                model, TensorNames.HeadWeight, TensorNames.HeadBias);
        }

        long totalBytes = model.Tensors.Sum(t => t.PayloadBytes);
        layers.AddRow("", "[bold]total[/]", "", "", Count(model.ParameterCount), Count(totalBytes));
        console.Rich.Write(layers);

        var tensors = new Table().Title("Tensors").AddColumns("name", "shape", "type", "bytes", "checksum");
        foreach (Tensor tensor in model.Tensors)
        {
            string checksum = TensorPayload.Checksum(TensorPayload.ToBytes(tensor));
            tensors.AddRow(Markup.Escape(tensor.Name), Markup.Escape(tensor.ShapeText), TensorDataTypeNames.ToName(tensor.DataType), Count(tensor.PayloadBytes),
                "ok " + checksum[..(TensorPayload.ChecksumPrefix.Length + 12)] + "…");
        }

        console.Rich.Write(tensors);

        if (model.Text is { } text)
        {
            console.Out.WriteLine($"Text: tokenizer {text.Tokenizer.Kind} (lowercase: {(text.Tokenizer.Lowercase ? "yes" : "no")}), " +
                                  $"{text.Vocabulary.Count} tokens, unknown \"{text.UnknownToken}\" = {text.UnknownId}, padding \"{text.PaddingToken}\" = {text.PaddingId}");
        }

        Provenance provenance = model.Provenance;
        console.Out.WriteLine($"Producer: {provenance.Producer}");
        if (provenance.Source is not null)
        {
            console.Out.WriteLine($"Source: {provenance.Source}");
        }

        if (provenance.TrainingData is not null)
        {
            console.Out.WriteLine($"Training data: {provenance.TrainingData}");
        }

        foreach (var metric in provenance.Metrics)
        {
            console.Out.WriteLine($"Metric {metric.Key}: {metric.Value.ToString("G6", CultureInfo.InvariantCulture)}");
        }

        if (provenance.Notes is not null)
        {
            console.Out.WriteLine($"Notes: {provenance.Notes}");
        }

        return 0;
    }

    private static void AddLayer(Table table, int index, string kind, string input, string output, GruModel model, params string[] tensorNames)
    {
        long parameters = tensorNames.Sum(n => (long)model[n].ElementCount);
        long bytes = tensorNames.Sum(n => model[n].PayloadBytes);
        table.AddRow(index.ToString(CultureInfo.InvariantCulture), Markup.Escape(kind), input, output, Count(parameters), Count(bytes));
    }

    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
