using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;

namespace TinyGru.Samples.Sentiment;

/// <summary>The <c>--bench</c> summary: latency statistics over every review of the run.</summary>
public static class Bench
{
    /// <summary>Prints <c># …</c> summary lines to stdout.</summary>
    /// <param name="ticks">Each review's latency in <see cref="Stopwatch"/> ticks.</param>
    /// <param name="tokens">Tokens over all reviews.</param>
    /// <param name="allocated">Bytes this thread allocated while classifying (0 unless the latency list or the stdin line buffer grew).</param>
    /// <param name="growths">How often the stdin line buffer grew.</param>
    public static void PrintSummary(List<long> ticks, long tokens, long allocated, int growths)
    {
        var micros = new double[ticks.Count];
        double sum = 0;
        for (int i = 0; i < micros.Length; i++)
        {
            micros[i] = ticks[i] * 1e6 / Stopwatch.Frequency;
            sum += micros[i];
        }

        Array.Sort(micros);
        double median = micros.Length % 2 == 1 ? micros[micros.Length / 2] : (micros[micros.Length / 2 - 1] + micros[micros.Length / 2]) / 2;
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Format(c, "# reviews {0}, tokens {1}: latency median {2:F1} us, mean {3:F1} us, min {4:F1} us, max {5:F1} us; {6:F3} us per token",
            micros.Length, tokens, median, sum / micros.Length, micros[0], micros[^1], tokens == 0 ? 0 : sum / tokens));
        Console.WriteLine(string.Format(c, "# allocated while classifying: {0} bytes, line buffer growths {1}", allocated, growths));
    }
}
