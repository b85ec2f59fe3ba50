using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Model.Text;

namespace TinyGru.Training.Text;

/// <summary>
/// Builds a vocabulary from tokenized training texts: <c>&lt;unk&gt;</c> (id 0), <c>&lt;pad&gt;</c> (id 1), then the
/// most frequent tokens, ties broken by ordinal token order so the result never depends on input order.
/// </summary>
public static class VocabularyBuilder
{
    /// <summary>The unknown-word token.</summary>
    public const string UnknownToken = "<unk>";

    /// <summary>The padding token.</summary>
    public const string PaddingToken = "<pad>";

    /// <summary>The default number of word tokens kept (plus the two specials).</summary>
    public const int DefaultMaxTokens = 25_000;

    /// <summary>A text description with the <paramref name="maxTokens"/> most frequent tokens of <paramref name="tokenizedTexts"/>.</summary>
    public static TextSpec Build(IEnumerable<IReadOnlyList<string>> tokenizedTexts, TokenizerSettings tokenizer, int maxTokens = DefaultMaxTokens, int minFrequency = 1)
    {
        if (maxTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTokens), "must be ≥ 0");
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (IReadOnlyList<string> tokens in tokenizedTexts)
        {
            foreach (string token in tokens)
            {
                counts[token] = counts.TryGetValue(token, out int c) ? c + 1 : 1;
            }
        }

        counts.Remove(UnknownToken);
        counts.Remove(PaddingToken);
        var vocabulary = new List<string>(maxTokens + 2) { UnknownToken, PaddingToken };
        vocabulary.AddRange(counts
            .Where(kv => kv.Value >= minFrequency)
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(maxTokens)
            .Select(kv => kv.Key));
        return new TextSpec(tokenizer, vocabulary, UnknownToken, PaddingToken);
    }
}
