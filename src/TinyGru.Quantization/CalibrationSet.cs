using System.Globalization;
using TinyGru.Model;
using TinyGru.Model.Architecture;

namespace TinyGru.Quantization;

/// <summary>One sequence the float and the quantized model are both run on.</summary>
public abstract record CalibrationSequence;

/// <summary>Token ids, for models with an embedding.</summary>
/// <param name="Ids">The tokens, in order.</param>
public sealed record TokenSequence(int[] Ids) : CalibrationSequence;

/// <summary>Feature vectors, for models that read floats.</summary>
/// <param name="Steps">One vector of the GRU's input size per step.</param>
public sealed record FeatureSequence(float[][] Steps) : CalibrationSequence;

/// <summary>Where calibration sequences come from: a file the user passes, or a seeded synthetic set.</summary>
public static class CalibrationSet
{
    /// <summary>
    /// <paramref name="count"/> seeded random sequences of 5–100 steps: token ids drawn uniformly from the vocabulary
    /// (padding excluded) for embedding models, N(0,1) features otherwise.
    /// </summary>
    public static IReadOnlyList<CalibrationSequence> Synthetic(GruModel model, int count = 64, int seed = 1)
    {
        var random = new Random(seed);
        var sequences = new List<CalibrationSequence>(count);
        for (int s = 0; s < count; s++)
        {
            int length = random.Next(5, 101);
            if (model.Architecture.Embedding is { } embedding)
            {
                var ids = new int[length];
                for (int t = 0; t < length; t++)
                {
                    do
                    {
                        ids[t] = random.Next(embedding.VocabularySize);
                    }
                    while (ids[t] == embedding.PaddingIndex && embedding.VocabularySize > 1);
                }

                sequences.Add(new TokenSequence(ids));
            }
            else
            {
                int features = model.Architecture.Gru.InputSize;
                float[][] steps = Enumerable.Range(0, length).Select(_ => Enumerable.Range(0, features).Select(_ => Gaussian(random)).ToArray()).ToArray();
                sequences.Add(new FeatureSequence(steps));
            }
        }

        return sequences;
    }

    /// <summary>
    /// Reads one sequence per non-empty line of <paramref name="path"/>: token ids separated by spaces or commas
    /// (embedding models), text (models with a vocabulary, when the line is not all numbers), or feature vectors
    /// with steps separated by <c>;</c> and features by <c>,</c> (feature models).
    /// </summary>
    /// <exception cref="FormatException">A line cannot be read; the message names <c>file:line</c>.</exception>
    public static IReadOnlyList<CalibrationSequence> Read(string path, GruModel model)
    {
        var sequences = new List<CalibrationSequence>();
        int lineNumber = 0;
        foreach (string raw in File.ReadLines(path))
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            string where = $"{path}:{lineNumber}";
            sequences.Add(model.Architecture.Embedding is { } embedding
                ? ParseTokens(line, where, embedding, model)
                : ParseFeatures(line, where, model.Architecture.Gru.InputSize));
        }

        return sequences.Count > 0 ? sequences : throw new FormatException($"{path}: no calibration sequences (one per line)");
    }

    private static TokenSequence ParseTokens(string line, string where, EmbeddingSpec embedding, GruModel model)
    {
        string[] items = line.Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
        bool numeric = items.All(item => int.TryParse(item, NumberStyles.Integer, CultureInfo.InvariantCulture, out _));
        if (!numeric)
        {
            if (model.Text is null)
            {
                throw new FormatException($"{where}: '{items.First(i => !int.TryParse(i, out _))}' is not a token id, and the model has no vocabulary to read text with");
            }

            int[] encoded = model.Text.Encode(line);
            return encoded.Length > 0 ? new TokenSequence(encoded) : throw new FormatException($"{where}: the text holds no tokens");
        }

        int[] ids = items.Select(item => int.Parse(item, CultureInfo.InvariantCulture)).ToArray();
        int bad = Array.FindIndex(ids, id => id < 0 || id >= embedding.VocabularySize);
        return bad < 0
            ? new TokenSequence(ids)
            : throw new FormatException($"{where}: token {bad + 1} has id {ids[bad]}, outside the vocabulary [0, {embedding.VocabularySize - 1}]");
    }

    private static FeatureSequence ParseFeatures(string line, string where, int inputSize)
    {
        string[] steps = line.Split(';', StringSplitOptions.RemoveEmptyEntries);
        var vectors = new float[steps.Length][];
        for (int t = 0; t < steps.Length; t++)
        {
            string[] values = steps[t].Split(',', StringSplitOptions.TrimEntries);
            if (values.Length != inputSize)
            {
                throw new FormatException($"{where}: step {t + 1} has {values.Length} features; the model reads {inputSize}");
            }

            vectors[t] = new float[inputSize];
            for (int k = 0; k < inputSize; k++)
            {
                if (!float.TryParse(values[k], NumberStyles.Float, CultureInfo.InvariantCulture, out vectors[t][k]) || !float.IsFinite(vectors[t][k]))
                {
                    throw new FormatException($"{where}: step {t + 1}, feature {k + 1}: '{values[k]}' is not a finite number");
                }
            }
        }

        return new FeatureSequence(vectors);
    }

    private static float Gaussian(Random random)
    {
        double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }
}
