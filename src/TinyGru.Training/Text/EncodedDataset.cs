using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using TinyGru.Model.Text;
using TinyGru.Training.Data;

namespace TinyGru.Training.Text;

/// <summary>Labelled texts as token-id sequences, ready for training.</summary>
public sealed class EncodedDataset
{
    /// <summary>Wraps already-encoded sequences (each non-empty) and their 0/1 labels.</summary>
    public EncodedDataset(int[][] sequences, float[] labels)
    {
        if (sequences.Length != labels.Length)
        {
            throw new ArgumentException($"{sequences.Length} sequences but {labels.Length} labels");
        }

        Sequences = sequences;
        Labels = labels;
    }

    /// <summary>Token ids per example.</summary>
    public int[][] Sequences { get; }

    /// <summary>0 or 1 per example.</summary>
    public float[] Labels { get; }

    /// <summary>Examples.</summary>
    public int Count => Labels.Length;

    /// <summary>Σ sequence lengths.</summary>
    public long Tokens
    {
        get
        {
            long sum = 0;
            foreach (int[] s in Sequences)
            {
                sum += s.Length;
            }

            return sum;
        }
    }

    /// <summary>Tokenizes every text (in parallel; the result is in input order).</summary>
    public static List<string>[] Tokenize(IReadOnlyList<LabeledText> examples, TokenizerSettings settings)
    {
        var result = new List<string>[examples.Count];
        Parallel.For(0, examples.Count, () => new ReviewTokenizer(settings), (i, _, tokenizer) =>
        {
            result[i] = tokenizer.Tokenize(examples[i].Text);
            return tokenizer;
        }, _ => { });
        return result;
    }

    /// <summary>
    /// Maps tokens to ids with <paramref name="text"/>; an example without tokens becomes one <c>&lt;unk&gt;</c>;
    /// with <paramref name="maxLength"/>, longer examples keep their first tokens.
    /// </summary>
    public static EncodedDataset Encode(IReadOnlyList<LabeledText> examples, IReadOnlyList<List<string>> tokens, TextSpec text, int? maxLength = null)
    {
        var sequences = new int[examples.Count][];
        var labels = new float[examples.Count];
        for (int i = 0; i < examples.Count; i++)
        {
            List<string> t = tokens[i];
            int length = Math.Max(1, maxLength is int max ? Math.Min(max, t.Count) : t.Count);
            var ids = new int[length];
            ids[0] = text.UnknownId;
            for (int k = 0; k < Math.Min(length, t.Count); k++)
            {
                ids[k] = text.IdOf(t[k]);
            }

            sequences[i] = ids;
            labels[i] = examples[i].Label;
        }

        return new EncodedDataset(sequences, labels);
    }

    /// <summary>Tokenizes and encodes in one go.</summary>
    public static EncodedDataset Encode(IReadOnlyList<LabeledText> examples, TextSpec text, int? maxLength = null) =>
        Encode(examples, Tokenize(examples, text.Tokenizer), text, maxLength);
}
