using System;
using System.Globalization;
using System.IO;
using TinyGru.Model.Text;
using TinyGru.Training.Data;
using TinyGru.Training.Model;

namespace TinyGru.Training.Text;

/// <summary>What <see cref="GloveLoader.Load"/> did.</summary>
/// <param name="Found">Vocabulary entries that got a pre-trained vector.</param>
/// <param name="Missing">Vocabulary entries (besides the padding token) that got a random normal vector.</param>
public sealed record GloveResult(int Found, int Missing);

/// <summary>
/// Initialises an embedding table from pre-trained vectors in GloVe's text format (one <c>word v1 … vd</c> per
/// line, space-separated; the word itself may contain spaces, the last d fields are the vector). Words absent
/// from the file get N(0, 1) vectors from the given seed; the padding row is zero.
/// </summary>
public static class GloveLoader
{
    /// <summary>Fills <paramref name="table"/> ([vocabulary × dimension]) for <paramref name="text"/>'s vocabulary.</summary>
    /// <exception cref="DataFormatException">A line has the wrong number of values or a value that is not a number (<c>file:line</c>).</exception>
    public static GloveResult Load(string path, TextSpec text, float[] table, int dimension, int seed)
    {
        int vocabulary = text.Vocabulary.Count;
        if (table.Length != vocabulary * dimension)
        {
            throw new ArgumentException($"the table holds {table.Length} values, not {vocabulary} × {dimension}", nameof(table));
        }

        var found = new bool[vocabulary];
        string name = Path.GetFileName(path);
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.TrimEnd().Split(' ');
            if (lineNumber == 1 && fields.Length == 2 && int.TryParse(fields[0], out _) && int.TryParse(fields[1], out _))
            {
                continue; // word2vec-style "count dimension" header
            }

            if (fields.Length < dimension + 1)
            {
                throw new DataFormatException($"{name}:{lineNumber}", $"{fields.Length - 1} values; the embedding has dimension {dimension}");
            }

            string word = string.Join(' ', fields, 0, fields.Length - dimension);
            if (!TryId(text, word, out int id) || found[id])
            {
                continue;
            }

            for (int k = 0; k < dimension; k++)
            {
                string field = fields[fields.Length - dimension + k];
                if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                {
                    throw new DataFormatException($"{name}:{lineNumber}", $"value {k + 1} \"{field}\" is not a finite number");
                }

                table[id * dimension + k] = value;
            }

            found[id] = true;
        }

        var random = new Random(seed);
        int foundCount = 0, missing = 0;
        for (int id = 0; id < vocabulary; id++)
        {
            if (id == text.PaddingId)
            {
                Array.Clear(table, id * dimension, dimension);
                continue;
            }

            if (found[id])
            {
                foundCount++;
                continue;
            }

            missing++;
            for (int k = 0; k < dimension; k++)
            {
                table[id * dimension + k] = Gaussian.Next(random);
            }
        }

        return new GloveResult(foundCount, missing);
    }

    private static bool TryId(TextSpec text, string word, out int id)
    {
        id = text.IdOf(word);
        return id != text.UnknownId || word == text.UnknownToken;
    }
}
