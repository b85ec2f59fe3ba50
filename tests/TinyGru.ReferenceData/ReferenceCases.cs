using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TinyGru.Import;
using TinyGru.Model;
using TinyGru.Model.Architecture;

namespace TinyGru.ReferenceData;

/// <summary>A <c>gru/forward</c> case: a GRU stack, a batch of (possibly packed) sequences, and PyTorch's outputs.</summary>
/// <param name="Name">The case's file name without extension.</param>
/// <param name="Convention">The GRU equations.</param>
/// <param name="InputSize">I.</param>
/// <param name="HiddenSize">H.</param>
/// <param name="Layers">Stacked layers.</param>
/// <param name="Bidirectional">Whether layers run both ways.</param>
/// <param name="Lengths">Real steps per sequence.</param>
/// <param name="Params">The PyTorch state_dict.</param>
/// <param name="Input">[batch][seq][I].</param>
/// <param name="H0">[layers·D][batch][H].</param>
/// <param name="Output">[batch][seq][D·H]; zero past each length.</param>
/// <param name="HN">[layers·D][batch][H].</param>
public sealed record ForwardCase(
    string Name, GruConvention Convention, int InputSize, int HiddenSize, int Layers, bool Bidirectional, int[] Lengths,
    Dictionary<string, StateDictTensor> Params, float[][][] Input, float[][][] H0, float[][][] Output, float[][][] HN)
{
    /// <summary>Loads the case at <paramref name="relativePath"/> under the reference root.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed forward case (the message names the file).</exception>
    public static ForwardCase Load(string relativePath) => ReferenceJson.Load(relativePath, root => new ForwardCase(
        Path.GetFileNameWithoutExtension(relativePath),
        ReferenceJson.Convention(root),
        root.GetProperty("input_size").GetInt32(),
        root.GetProperty("hidden_size").GetInt32(),
        root.GetProperty("num_layers").GetInt32(),
        root.GetProperty("bidirectional").GetBoolean(),
        ReferenceJson.Ints(root.GetProperty("lengths")),
        StateDictJson.FromJson(root.GetProperty("params"), relativePath),
        ReferenceJson.Tensor3(root.GetProperty("input")),
        ReferenceJson.Tensor3(root.GetProperty("h0")),
        ReferenceJson.Tensor3(root.GetProperty("output")),
        ReferenceJson.Tensor3(root.GetProperty("h_n"))));

    /// <summary>Batch size.</summary>
    public int Batch => Lengths.Length;

    /// <summary>The case's GRU as a TinyGru model (imported through the PyTorch importer).</summary>
    public GruModel ToModel() => PyTorchImporter.Import(Params, new PyTorchImportOptions
    {
        Convention = Convention,
        Provenance = Provenance.From("reference test", "shared/reference " + Name),
    });

    /// <summary>The initial states of sequence <paramref name="b"/>: [layers·D][H].</summary>
    public float[][] InitialStateOf(int b) => H0.Select(state => state[b]).ToArray();
}

/// <summary>A <c>sentiment</c> case: Embedding → GRU → Linear with a batch of packed token sequences.</summary>
/// <param name="Name">The case's file name without extension.</param>
/// <param name="Convention">The GRU equations.</param>
/// <param name="PaddingIndex">The embedding's padding id.</param>
/// <param name="Lengths">Real tokens per sequence.</param>
/// <param name="Tokens">[batch][max_len] token ids (padding past each length).</param>
/// <param name="Params">The PyTorch state_dict.</param>
/// <param name="HN">[1][batch][H].</param>
/// <param name="Logits">[batch].</param>
/// <param name="Probabilities">[batch].</param>
public sealed record SentimentCase(
    string Name, GruConvention Convention, int PaddingIndex, int[] Lengths, int[][] Tokens,
    Dictionary<string, StateDictTensor> Params, float[][][] HN, float[] Logits, float[] Probabilities)
{
    /// <summary>Loads the case at <paramref name="relativePath"/> under the reference root.</summary>
    /// <exception cref="InvalidDataException">The file is not a well-formed sentiment case (the message names the file).</exception>
    public static SentimentCase Load(string relativePath) => ReferenceJson.Load(relativePath, root => new SentimentCase(
        Path.GetFileNameWithoutExtension(relativePath),
        ReferenceJson.Convention(root),
        root.GetProperty("padding_idx").GetInt32(),
        ReferenceJson.Ints(root.GetProperty("lengths")),
        root.GetProperty("tokens").EnumerateArray().Select(ReferenceJson.Ints).ToArray(),
        StateDictJson.FromJson(root.GetProperty("params"), relativePath),
        ReferenceJson.Tensor3(root.GetProperty("h_n")),
        ReferenceJson.Floats(root.GetProperty("logits")),
        ReferenceJson.Floats(root.GetProperty("probabilities"))));

    /// <summary>The case's network as a TinyGru model (imported through the PyTorch importer).</summary>
    public GruModel ToModel() => PyTorchImporter.Import(Params, new PyTorchImportOptions
    {
        Convention = Convention,
        PaddingIndex = PaddingIndex,
        Provenance = Provenance.From("reference test", "shared/reference " + Name),
    });

    /// <summary>The real tokens of sequence <paramref name="b"/> (padding dropped, as a packed sequence has it).</summary>
    public int[] TokensOf(int b) => Tokens[b][..Lengths[b]];
}

/// <summary>Reading helpers shared by the case loaders of every test project.</summary>
public static class ReferenceJson
{
    /// <summary>
    /// Parses the case at <paramref name="relativePath"/> and reads it with <paramref name="read"/>; any fault becomes an
    /// <see cref="InvalidDataException"/> that names the file, so a malformed case fails its own test.
    /// </summary>
    public static T Load<T>(string relativePath, Func<JsonElement, T> read)
    {
        string path = ReferenceRoot.PathOf(relativePath);
        try
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            return read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ImportException)
        {
            throw new InvalidDataException($"{relativePath}: not a well-formed reference case: {e.Message}", e);
        }
    }

    /// <summary>The case's <c>formula</c> (PyTorch when absent).</summary>
    public static GruConvention Convention(JsonElement root)
    {
        string? name = root.TryGetProperty("formula", out JsonElement formula) ? formula.GetString() : GruConventionNames.PyTorch;
        return GruConventionNames.TryParse(name, out GruConvention convention)
            ? convention
            : throw new FormatException($"unknown formula '{name}'");
    }

    /// <summary>An array of integers.</summary>
    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    /// <summary>An array of float32 values (9-digit literals: parse as double, round to float, and the exact float32 comes back).</summary>
    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    /// <summary>A 2-D array of float32 values.</summary>
    public static float[][] Tensor2(JsonElement array) => array.EnumerateArray().Select(Floats).ToArray();

    /// <summary>A 3-D array of float32 values.</summary>
    public static float[][][] Tensor3(JsonElement array) => array.EnumerateArray().Select(Tensor2).ToArray();
}
