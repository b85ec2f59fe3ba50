using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;

namespace TinyGru.Import;

/// <summary>Thrown when a state_dict does not describe an Embedding → GRU → Linear network TinyGru can run.</summary>
public sealed class ImportException(string message) : Exception(message);

/// <summary>
/// Turns a PyTorch <c>state_dict</c> of <c>[Embedding →] nn.GRU [→ Linear]</c> into a <see cref="GruModel"/>.
/// The architecture is read off the keys and shapes: <c>weight_ih_l{k}</c> counts the layers, <c>_reverse</c>
/// keys mean bidirectional, <c>weight_hh_l0</c> gives H. Keys it does not understand are an error, not
/// silently dropped: importing an LSTM or an attention layer must fail loudly.
/// </summary>
public static class PyTorchImporter
{
    private static readonly string[] HeadPrefixes = { "fc.", "head.", "linear.", "out.", "classifier." };

    /// <summary>Builds a model from <paramref name="stateDict"/>.</summary>
    /// <exception cref="ImportException">A key is missing, unexpected or misshapen.</exception>
    public static GruModel Import(IReadOnlyDictionary<string, StateDictTensor> stateDict, PyTorchImportOptions options)
    {
        var unused = new HashSet<string>(stateDict.Keys, StringComparer.Ordinal);
        string gruPrefix = options.GruPrefix ?? FindGruPrefix(stateDict);
        StateDictTensor Take(string key)
        {
            if (!stateDict.TryGetValue(key, out StateDictTensor? tensor))
            {
                throw new ImportException($"the state_dict has no '{key}'");
            }

            unused.Remove(key);
            return tensor;
        }

        StateDictTensor weightHh0 = Take(gruPrefix + "weight_hh_l0");
        StateDictTensor weightIh0 = Take(gruPrefix + "weight_ih_l0");
        RequireRank(gruPrefix + "weight_hh_l0", weightHh0, 2);
        RequireRank(gruPrefix + "weight_ih_l0", weightIh0, 2);
        int hidden = weightHh0.Shape[1];
        int inputSize = weightIh0.Shape[1];
        int layers = 0;
        while (stateDict.ContainsKey(gruPrefix + TensorNames.PyTorchName("weight_ih", layers, false)))
        {
            layers++;
        }

        bool bidirectional = stateDict.ContainsKey(gruPrefix + TensorNames.PyTorchName("weight_ih", 0, true));
        var gru = new GruStackSpec(inputSize, hidden, layers, bidirectional, options.Convention);

        var tensors = new List<Tensor>();
        EmbeddingSpec? embedding = null;
        if (stateDict.TryGetValue(options.EmbeddingKey, out StateDictTensor? table))
        {
            Take(options.EmbeddingKey);
            RequireRank(options.EmbeddingKey, table, 2);
            embedding = new EmbeddingSpec(table.Shape[0], table.Shape[1], options.PaddingIndex);
            tensors.Add(new Tensor(TensorNames.EmbeddingWeight, table.Shape, table.Values));
        }

        for (int layer = 0; layer < layers; layer++)
        {
            for (int direction = 0; direction < gru.Directions; direction++)
            {
                bool reverse = direction == 1;
                foreach (string kind in new[] { "weight_ih", "weight_hh", "bias_ih", "bias_hh" })
                {
                    string key = gruPrefix + TensorNames.PyTorchName(kind, layer, reverse);
                    StateDictTensor tensor = Take(key);
                    tensors.Add(new Tensor(TensorNames.GruPrefix + TensorNames.PyTorchName(kind, layer, reverse), tensor.Shape, tensor.Values));
                }
            }
        }

        HeadSpec? head = null;
        string? headPrefix = options.HeadPrefix ?? HeadPrefixes.FirstOrDefault(p => stateDict.ContainsKey(p + "weight"));
        if (headPrefix is not null)
        {
            StateDictTensor weight = Take(headPrefix + "weight");
            StateDictTensor bias = Take(headPrefix + "bias");
            RequireRank(headPrefix + "weight", weight, 2);
            int outputs = weight.Shape[0];
            head = new HeadSpec(outputs, options.HeadActivation ?? (outputs == 1 ? OutputActivation.Sigmoid : OutputActivation.None));
            tensors.Add(new Tensor(TensorNames.HeadWeight, weight.Shape, weight.Values));
            tensors.Add(new Tensor(TensorNames.HeadBias, bias.Shape, bias.Values));
        }

        if (unused.Count > 0)
        {
            throw new ImportException(
                $"the state_dict holds keys that are not part of an Embedding → GRU → Linear network: {string.Join(", ", unused.OrderBy(k => k, StringComparer.Ordinal))}");
        }

        var architecture = new NetworkArchitecture(embedding, gru, head);
        Provenance provenance = options.Provenance ?? Provenance.From("tinygru import (PyTorch state_dict)");
        try
        {
            return new GruModel(architecture, tensors, options.Text, provenance);
        }
        catch (Model.Validation.ModelValidationException e)
        {
            throw new ImportException("the imported weights do not form a valid model: " + e.Problems[0]);
        }
    }

    private static string FindGruPrefix(IReadOnlyDictionary<string, StateDictTensor> stateDict)
    {
        const string marker = "weight_ih_l0";
        string[] prefixes = stateDict.Keys
            .Where(k => k.EndsWith(marker, StringComparison.Ordinal))
            .Select(k => k[..^marker.Length])
            .ToArray();
        return prefixes.Length switch
        {
            1 => prefixes[0],
            0 => throw new ImportException($"the state_dict has no GRU: no key ends in '{marker}'"),
            _ => throw new ImportException($"the state_dict has {prefixes.Length} recurrent modules ({string.Join(", ", prefixes)}): name the GRU's prefix"),
        };
    }

    private static void RequireRank(string key, StateDictTensor tensor, int rank)
    {
        if (tensor.Shape.Length != rank)
        {
            throw new ImportException($"'{key}' has shape {Tensor.FormatShape(tensor.Shape)}; a {rank}-dimensional tensor was expected");
        }
    }
}
