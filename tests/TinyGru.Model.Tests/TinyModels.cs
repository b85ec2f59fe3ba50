using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;

namespace TinyGru.Model.Tests;

/// <summary>Small valid models and ways to corrupt their files.</summary>
internal static class TinyModels
{
    /// <summary>A valid text model: Embedding(6 tokens, 3) → GRU(3, 2) → Linear(2, 1) sigmoid, deterministic weights.</summary>
    public static GruModel TextClassifier(bool bidirectional = false, int layers = 1)
    {
        var embedding = new EmbeddingSpec(6, 3, PaddingIndex: 1);
        var gru = new GruStackSpec(3, 2, layers, bidirectional, GruConvention.PyTorch);
        var architecture = new NetworkArchitecture(embedding, gru, new HeadSpec(1, OutputActivation.Sigmoid));
        var text = new TextSpec(new TokenizerSettings(ReviewTokenizer.KindName, Lowercase: true),
            ["<unk>", "<pad>", "good", "bad", "movie", "!"], "<unk>", "<pad>");
        return new GruModel(architecture, Fill(architecture), text, Provenance.From("tests", "TinyModels.TextClassifier"));
    }

    /// <summary>Tensors for every slot of <paramref name="architecture"/>, filled with small distinct values.</summary>
    public static List<Tensor> Fill(NetworkArchitecture architecture)
    {
        int seed = 0;
        return architecture.TensorSlots()
            .Select(slot =>
            {
                int count = slot.Shape.Aggregate(1, (a, b) => a * b);
                float[] values = Enumerable.Range(0, count).Select(i => MathF.Sin(++seed) * 0.5f).ToArray();
                return new Tensor(slot.Name, slot.Shape, values);
            })
            .ToList();
    }

    /// <summary>Replaces one tensor's payload in model file text, with a matching checksum (so only the values are "wrong").</summary>
    public static string WithTensorValues(string fileText, string tensorName, float[] values)
    {
        byte[] bytes = TensorPayload.ToBytes(values);
        return ReplaceInTensor(fileText, tensorName, entry =>
        {
            entry = Regex.Replace(entry, "\"checksum\": \"[^\"]*\"", $"\"checksum\": \"{TensorPayload.Checksum(bytes)}\"");
            return Regex.Replace(entry, "\"data\": \"[^\"]*\"", $"\"data\": \"{Convert.ToBase64String(bytes)}\"");
        });
    }

    /// <summary>Applies <paramref name="edit"/> to the JSON entry of one tensor.</summary>
    public static string ReplaceInTensor(string fileText, string tensorName, Func<string, string> edit)
    {
        int start = fileText.IndexOf($"\"name\": \"{tensorName}\"", StringComparison.Ordinal);
        if (start < 0)
        {
            throw new ArgumentException($"no tensor {tensorName} in the file");
        }

        int end = fileText.IndexOf('}', start);
        return fileText[..start] + edit(fileText[start..end]) + fileText[end..];
    }

    /// <summary>The 1-based line <paramref name="line"/> of <paramref name="text"/>.</summary>
    public static string Line(string text, int line) => text.Split('\n')[line - 1];
}
