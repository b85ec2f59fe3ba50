using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Reference;

namespace TinyGru.Cli.Commands;

/// <summary><c>tinygru predict &lt;model&gt;</c>: classify token ids or text with the reference engine.</summary>
internal static class PredictCommand
{
    public static Command Create(CliConsole console)
    {
        var model = new Argument<FileInfo>("model") { Description = "A TinyGru model file (.tgru) with an embedding and a head." };
        var tokens = new Option<string[]>("--tokens")
        {
            Description = "Token ids of one sequence, separated by commas or spaces (repeat the option for more sequences).",
            AllowMultipleArgumentsPerToken = false,
        };
        var text = new Option<string[]>("--text")
        {
            Description = "Text to classify, for models that carry a vocabulary (repeat the option for more texts).",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("predict", "Run a model on token ids (--tokens) or text (--text) with the reference engine and print logits, probabilities and labels.")
        {
            model, tokens, text,
        };
        command.SetAction(parse => console.Run(() =>
            Predict(console, parse.GetValue(model)!, parse.GetValue(tokens) ?? [], parse.GetValue(text) ?? [])));
        return command;
    }

    private static int Predict(CliConsole console, FileInfo file, string[] tokenLists, string[] texts)
    {
        if (tokenLists.Length == 0 && texts.Length == 0)
        {
            return console.Fail("nothing to predict: give --tokens \"5,17,42\" or --text \"a review\"");
        }

        GruModel model = ModelFileReader.Read(file.FullName);
        if (model.Architecture.Embedding is null || model.Architecture.Head is null)
        {
            return console.Fail($"{file.Name} is not a classifier (it needs an embedding and a head); predict runs Embedding → GRU → Linear models");
        }

        if (texts.Length > 0 && model.Text is null)
        {
            return console.Fail($"{file.Name} has no vocabulary, so it cannot read text: pass token ids with --tokens");
        }

        var engine = new ReferenceEngine(model);
        for (int i = 0; i < tokenLists.Length; i++)
        {
            int[] ids = ParseTokenIds(tokenLists[i], i);
            Report(console, model, engine.Predict(ids), $"{ids.Length} tokens");
        }

        foreach (string review in texts)
        {
            int[] ids = model.Text!.Encode(review);
            if (ids.Length == 0)
            {
                return console.Fail("a --text value holds no tokens");
            }

            Report(console, model, engine.Predict(ids), Quote(review));
        }

        return 0;
    }

    private static int[] ParseTokenIds(string list, int sequence)
    {
        string[] items = list.Split([',', ' ', ';'], System.StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0)
        {
            throw new System.ArgumentException($"--tokens #{sequence + 1} is empty");
        }

        var ids = new int[items.Length];
        for (int i = 0; i < items.Length; i++)
        {
            if (!int.TryParse(items[i], NumberStyles.Integer, CultureInfo.InvariantCulture, out ids[i]))
            {
                throw new System.ArgumentException($"--tokens #{sequence + 1}, item {i + 1}: '{items[i]}' is not a token id (a whole number)");
            }
        }

        return ids;
    }

    private static void Report(CliConsole console, GruModel model, Prediction prediction, string what)
    {
        HeadSpec head = model.Architecture.Head!;
        if (head.Outputs == 1 && head.Activation == OutputActivation.Sigmoid)
        {
            float p = prediction.Outputs[0];
            string label = p >= 0.5f ? "positive" : "negative";
            console.Out.WriteLine($"{label,-8}  probability {F(p)}  logit {F(prediction.Logits[0])}  {what}");
            return;
        }

        string outputs = string.Join(", ", prediction.Outputs.Select(F));
        console.Out.WriteLine($"outputs [{outputs}]  {what}");
    }

    private static string F(float value) => value.ToString("0.000000", CultureInfo.InvariantCulture);

    private static string Quote(string text)
    {
        string flat = text.ReplaceLineEndings(" ");
        return "\"" + (flat.Length > 60 ? flat[..57] + "..." : flat) + "\"";
    }
}
