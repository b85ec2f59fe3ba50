using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;

namespace TinyGru.Samples.Sentiment;

/// <summary>
/// The classify path: one review in, one result line out (<c>positive&lt;TAB&gt;0.987763</c>), with nothing allocated
/// per review — the text goes through the generated class's allocation-free tokenizer and GRU, the line is formatted
/// into a reusable char buffer and written as UTF-8 from a reusable byte buffer.
/// </summary>
public sealed class ReviewClassifier
{
    /// <summary>The label printed for a review with no token (empty or whitespace only).</summary>
    public const string NoTokensLabel = "none";

    private readonly Stream _output;
    private readonly bool _withLatency;
    private readonly char[] _line = new char[128];
    private readonly byte[] _bytes = new byte[512];
    private readonly Encoder _encoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetEncoder();

    /// <summary>Writes result lines to <paramref name="output"/>.</summary>
    /// <param name="output">Where result lines go (each line is written with one <see cref="Stream.Write(ReadOnlySpan{byte})"/>).</param>
    /// <param name="withLatency">Append the review's latency (µs) and token count to each line (<c>--bench</c>).</param>
    public ReviewClassifier(Stream output, bool withLatency)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _withLatency = withLatency;
    }

    /// <summary>Reviews classified so far.</summary>
    public int Reviews { get; private set; }

    /// <summary>Tokens of all reviews classified so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>Latency of the last review in <see cref="Stopwatch"/> ticks (tokenizer + GRU + head).</summary>
    public long LastTicks { get; private set; }

    /// <summary>Classifies <paramref name="review"/> and writes its result line.</summary>
    /// <returns>The probability that the review is positive, or NaN for a review without tokens.</returns>
    public float Classify(ReadOnlySpan<char> review)
    {
        long start = Stopwatch.GetTimestamp();
        int tokens = ImdbSentiment.CountTokens(review);
        float probability = tokens == 0 ? float.NaN : ImdbSentiment.Predict(review);
        LastTicks = Stopwatch.GetTimestamp() - start;
        Reviews++;
        Tokens += tokens;
        WriteLine(probability, tokens);
        return probability;
    }

    /// <summary>The label of a probability: positive at 0.5 and above.</summary>
    public static string LabelOf(float probability) =>
        float.IsNaN(probability) ? NoTokensLabel : probability >= 0.5f ? "positive" : "negative";

    private void WriteLine(float probability, int tokens)
    {
        Span<char> line = _line;
        int n = 0;
        Append(line, ref n, LabelOf(probability));
        line[n++] = '\t';
        if (float.IsNaN(probability))
        {
            line[n++] = '-';
        }
        else
        {
            probability.TryFormat(line[n..], out int written, "F6", CultureInfo.InvariantCulture);
            n += written;
        }

        if (_withLatency)
        {
            line[n++] = '\t';
            double micros = LastTicks * 1e6 / Stopwatch.Frequency;
            micros.TryFormat(line[n..], out int written, "F1", CultureInfo.InvariantCulture);
            n += written;
            Append(line, ref n, " us\t");
            tokens.TryFormat(line[n..], out written, default, CultureInfo.InvariantCulture);
            n += written;
            Append(line, ref n, " tokens");
        }

        line[n++] = '\n';
        int bytes = _encoder.GetBytes(line[..n], _bytes, flush: true);
        _output.Write(_bytes, 0, bytes);
    }

    private static void Append(Span<char> line, ref int n, string text)
    {
        text.AsSpan().CopyTo(line[n..]);
        n += text.Length;
    }
}
