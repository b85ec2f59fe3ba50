namespace TinyGru.Training.Data;

/// <summary>One labelled review: its text, its class (1 positive, 0 negative) and where it was read.</summary>
/// <param name="Text">The raw text.</param>
/// <param name="Label">1 for the positive class, 0 for the negative class.</param>
/// <param name="Source">The file (and line) it came from, as <c>file:line</c>.</param>
public sealed record LabeledText(string Text, int Label, string Source);
