using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace TinyGru.Import;

/// <summary>
/// Reads a <c>state_dict</c> written as JSON: an object mapping parameter names to nested lists of numbers
/// (what <c>json.dump({k: v.tolist() for k, v in model.state_dict().items()})</c> writes), or a document
/// whose <c>params</c> member is such an object (the layout of TinyGru's PyTorch reference files).
/// </summary>
public static class StateDictJson
{
    /// <summary>Reads the state_dict in <paramref name="path"/>.</summary>
    /// <exception cref="ImportException">The file is not JSON or an entry is not a rectangular list of numbers.</exception>
    public static Dictionary<string, StateDictTensor> Read(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            using JsonDocument document = JsonDocument.Parse(stream);
            JsonElement root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("params", out JsonElement parameters))
            {
                root = parameters;
            }

            return FromJson(root, path);
        }
        catch (JsonException e)
        {
            throw new ImportException($"{path}: not valid JSON (line {e.LineNumber + 1}): {e.Message}");
        }
        catch (IOException e)
        {
            throw new ImportException($"{path}: cannot be read: {e.Message}");
        }
    }

    /// <summary>Converts a JSON object of name → nested number lists.</summary>
    /// <exception cref="ImportException">An entry is not a rectangular list of numbers.</exception>
    public static Dictionary<string, StateDictTensor> FromJson(JsonElement root, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ImportException($"{source}: a state_dict must be a JSON object of name → nested lists");
        }

        var result = new Dictionary<string, StateDictTensor>(StringComparer.Ordinal);
        foreach (JsonProperty property in root.EnumerateObject())
        {
            result[property.Name] = ToTensor(property.Value, $"{source}: '{property.Name}'");
        }

        return result;
    }

    /// <summary>A nested list of numbers as shape + row-major float32 values.</summary>
    /// <exception cref="ImportException">The list is ragged or holds a non-number.</exception>
    public static StateDictTensor ToTensor(JsonElement value, string what)
    {
        var shape = new List<int>();
        JsonElement probe = value;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0)
            {
                break;
            }

            probe = probe[0];
        }

        var values = new List<float>();
        Flatten(value, 0, shape, values, what);
        return new StateDictTensor(shape.ToArray(), values.ToArray());
    }

    private static void Flatten(JsonElement value, int depth, List<int> shape, List<float> values, string what)
    {
        if (depth == shape.Count)
        {
            if (value.ValueKind != JsonValueKind.Number)
            {
                throw new ImportException($"{what}: {value.ValueKind} found where a number was expected");
            }

            // Parse as double, then round: a 9-digit float32 literal gives back exactly the float PyTorch held.
            values.Add((float)value.GetDouble());
            return;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() != shape[depth])
        {
            throw new ImportException($"{what}: ragged list at depth {depth}: every row must have {shape[depth]} items");
        }

        foreach (JsonElement item in value.EnumerateArray())
        {
            Flatten(item, depth + 1, shape, values, what);
        }
    }
}
