using System;

namespace TinyGru.Training.Data;

/// <summary>The label spellings the loaders accept.</summary>
public static class Labels
{
    /// <summary>pos/positive/1/true → 1; neg/negative/0/false → 0 (case-insensitive, surrounding spaces ignored).</summary>
    public static bool TryParse(string text, out int label)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "pos":
            case "positive":
            case "1":
            case "true":
                label = 1;
                return true;
            case "neg":
            case "negative":
            case "0":
            case "false":
                label = 0;
                return true;
            default:
                label = -1;
                return false;
        }
    }

    /// <summary>The reason text for a label that did not parse.</summary>
    public static string Problem(string text) =>
        $"label \"{(text.Length > 20 ? text[..20] + "…" : text)}\" is not one of pos/neg, positive/negative, 1/0, true/false";

    /// <summary>The class name of a label.</summary>
    public static string Name(int label) => label == 1 ? "pos" : label == 0 ? "neg" : throw new ArgumentOutOfRangeException(nameof(label));
}
