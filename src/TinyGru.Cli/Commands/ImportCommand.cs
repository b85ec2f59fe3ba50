using System.CommandLine;
using System.IO;
using TinyGru.Import;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;

namespace TinyGru.Cli.Commands;

/// <summary><c>tinygru import &lt;state_dict.json&gt; -o &lt;model.tgru&gt;</c>: a PyTorch state_dict becomes a TinyGru model file.</summary>
internal static class ImportCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<FileInfo>("state-dict")
        {
            Description = "A PyTorch state_dict as JSON (name → nested lists), or a document whose \"params\" member is one.",
        };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The model file to write (.tgru).", Required = true };
        var convention = new Option<string>("--convention")
        {
            Description = "GRU equations the weights were trained with: pytorch (nn.GRU) or cho2014.",
            DefaultValueFactory = _ => GruConventionNames.PyTorch,
        };
        convention.AcceptOnlyFromAmong(GruConventionNames.PyTorch, GruConventionNames.Cho2014);
        var padding = new Option<int?>("--padding-index") { Description = "The embedding's padding_idx (a state_dict does not record it)." };
        var activation = new Option<string?>("--head-activation")
        {
            Description = "none or sigmoid; default: sigmoid for one output, none otherwise.",
        };
        activation.AcceptOnlyFromAmong(ModelFileFormat.ActivationNone, ModelFileFormat.ActivationSigmoid);
        var source = new Option<string?>("--source") { Description = "Where the weights come from, recorded as provenance." };

        var command = new Command("import", "Convert a PyTorch Embedding → GRU → Linear state_dict into a TinyGru model file.")
        {
            input, output, convention, padding, activation, source,
        };
        command.SetAction(parse => console.Run(() =>
        {
            FileInfo from = parse.GetValue(input)!;
            GruConventionNames.TryParse(parse.GetValue(convention), out GruConvention gruConvention);
            string? activationName = parse.GetValue(activation);
            var options = new PyTorchImportOptions
            {
                Convention = gruConvention,
                PaddingIndex = parse.GetValue(padding),
                HeadActivation = activationName is null ? null
                    : activationName == ModelFileFormat.ActivationSigmoid ? OutputActivation.Sigmoid : OutputActivation.None,
                Provenance = Provenance.From("tinygru import (PyTorch state_dict)", parse.GetValue(source) ?? from.Name),
            };
            GruModel model = PyTorchImporter.Import(StateDictJson.Read(from.FullName), options);
            FileInfo to = parse.GetValue(output)!;
            ModelFileWriter.Write(model, to.FullName);
            console.Out.WriteLine($"wrote {to.Name}: {model.ParameterCount:N0} parameters, {model.Architecture.Gru.Layers} GRU layer(s), H = {model.Architecture.Gru.HiddenSize}");
            return 0;
        }));
        return command;
    }
}
