using System.Text;
using TinyGru.Samples.Sentiment;
using Xunit;

namespace TinyGru.Samples.Tests;

/// <summary>The sentiment console's classify path: output format, the README's numbers, and zero allocations per review.</summary>
public sealed class SentimentClassifierTests
{
    private const string Positive = "This movie is absolutely fantastic! The acting was superb and the story kept me engaged from start to finish.";
    private const string Negative = "What a waste of time. Terrible acting, boring plot, and I fell asleep halfway through.";

    private static string[] Reviews => new[]
    {
        Positive, Negative, "A fine film.", "I don't love this film. It's bad!", "<br /><br />Dull, dull, dull.",
        "Ünïcödé wörds and emoji 🎬 are unknown tokens, not errors.", "   ", "", "Best. Movie. Ever.",
    };

    [Fact]
    public void Prints_the_readme_probabilities_one_line_per_review()
    {
        var output = new MemoryStream();
        var classifier = new ReviewClassifier(output, withLatency: false);
        classifier.Classify(Positive);
        classifier.Classify(Negative);
        classifier.Classify("  ");
        Assert.Equal("positive\t0.987763\nnegative\t0.001723\nnone\t-\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(3, classifier.Reviews);
    }

    [Fact]
    public void Classifying_stdin_lines_allocates_nothing_per_review()
    {
        // Every review 20 times over, through the same reader and classifier the console uses for stdin.
        string text = string.Join("\r\n", Enumerable.Repeat(Reviews, 20).SelectMany(r => r));
        var input = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var output = new MemoryStream(capacity: 1 << 20);
        var reader = new LineReader(input);
        var classifier = new ReviewClassifier(output, withLatency: true);
        classifier.Classify("A warm-up review."); // first-use initialisation, as the console does at start-up

        long before = GC.GetAllocatedBytesForCurrentThread();
        int lines = 0;
        while (reader.TryReadLine(out ReadOnlySpan<char> line))
        {
            classifier.Classify(line);
            lines++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(20 * Reviews.Length, lines);
        Assert.Equal(0, reader.Growths);
        Assert.True(allocated == 0, $"the classify path allocated {allocated} bytes over {lines} reviews");
    }

    [Fact]
    public void Line_reader_handles_crlf_a_last_line_without_newline_multibyte_text_and_long_lines()
    {
        string longLine = string.Concat(Enumerable.Repeat("é🎬x", 30_000)); // 120,000 chars, multi-byte, across many buffer fills
        string text = "one\r\ntwo\n\n" + longLine + "\nlast";
        var reader = new LineReader(new MemoryStream(Encoding.UTF8.GetBytes(text)), initialChars: 1024);
        reader.ReadAhead();
        reader.ReadAhead(); // a no-op once something is buffered
        var lines = new List<string>();
        while (reader.TryReadLine(out ReadOnlySpan<char> line))
        {
            lines.Add(line.ToString());
        }

        Assert.Equal(new[] { "one", "two", "", longLine, "last" }, lines);
        Assert.True(reader.Growths > 0);
    }
}
