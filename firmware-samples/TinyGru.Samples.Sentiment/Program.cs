using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using TinyGru.Samples.Sentiment;

// tinygru-sentiment: classifies movie reviews with the IMDb model compiled into this binary.
//   tinygru-sentiment "review" ["review" …]     one result line per argument
//   tinygru-sentiment < reviews.txt              one result line per input line
//   --bench   adds each review's latency and token count, then a summary (lines starting with '#')
//   --info    prints the SIMD path the generated code takes on this CPU and the instruction sets it sees
bool bench = false, info = false;
var reviews = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--bench": bench = true; break;
        case "--info": info = true; break;
        case "-h" or "--help":
            Console.WriteLine("usage: tinygru-sentiment [--bench] [--info] [review ...]   (no review: one review per line on stdin)");
            Console.WriteLine("prints one line per review: <positive|negative|none><TAB><probability of positive, 6 decimals>");
            return 0;
        case "--":
            reviews.AddRange(args[(i + 1)..]);
            i = args.Length;
            break;
        default:
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"error: unknown option {args[i]} (see --help)");
                return 1;
            }

            reviews.Add(args[i]);
            break;
    }
}

if (info)
{
    Console.WriteLine($"simd-path\t{ImdbSentiment.SimdPath}");
    Console.WriteLine($"isa\t{CpuFeatures.Describe()}");
    Console.WriteLine($"model\tGRU {ImdbSentiment.InputSize} → {ImdbSentiment.HiddenSize}, vocabulary {ImdbSentiment.VocabularySize}");
    if (reviews.Count == 0)
    {
        return 0;
    }
}

using Stream stdout = Console.OpenStandardOutput();
var classifier = new ReviewClassifier(stdout, withLatency: bench);
var latencies = bench ? new List<long>(capacity: 65536) : null; // grows (allocates) only past 65,536 reviews
LineReader? reader = reviews.Count == 0 ? new LineReader(Console.OpenStandardInput()) : null;
reader?.ReadAhead(); // the stream's first read belongs to start-up

// Start-up ends with one classification written nowhere: first-use initialisation (number formatting, the UTF-8
// encoder) happens here, so the loop below allocates nothing (measured and printed by --bench).
new ReviewClassifier(Stream.Null, withLatency: bench).Classify("A warm-up review.");
// The console's first write creates Console.Out (it locks on it) and initialises the terminal: 8 KB, measured in the
// NativeAOT binary. An empty write does that now.
Console.Out.Flush();
stdout.Write(ReadOnlySpan<byte>.Empty);
long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
if (reader is null)
{
    foreach (string review in reviews)
    {
        classifier.Classify(review);
        latencies?.Add(classifier.LastTicks);
    }
}
else
{
    while (reader.TryReadLine(out ReadOnlySpan<char> line))
    {
        classifier.Classify(line);
        latencies?.Add(classifier.LastTicks);
    }
}

long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
if (latencies is { Count: > 0 })
{
    Bench.PrintSummary(latencies, classifier.Tokens, allocated, reader?.Growths ?? 0);
}

return 0;
