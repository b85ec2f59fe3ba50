using System;
using System.Diagnostics;
using TinyGru.Consumer;

// Classify a few token id sequences, then stream the same tokens one at a time through Step.
int[] tokens = { 12, 7, 431, 99, 2, 815, 64, 3 };
long firstUse = GC.GetAllocatedBytesForCurrentThread();
float probability = DemoSentiment.Predict(tokens);
firstUse = GC.GetAllocatedBytesForCurrentThread() - firstUse;
long secondUse = GC.GetAllocatedBytesForCurrentThread();
DemoSentiment.Predict(tokens);
secondUse = GC.GetAllocatedBytesForCurrentThread() - secondUse;
Console.WriteLine($"allocated by the first Predict call (JIT and type loading included): {firstUse} bytes; by the second: {secondUse} bytes");
Console.WriteLine($"SIMD path: {DemoSentiment.SimdPath}");
Console.WriteLine($"P(positive) for [{string.Join(", ", tokens)}] = {probability:F6} (logit {DemoSentiment.PredictLogit(tokens):F6})");

DemoSentiment.State state = default;
foreach (int id in tokens)
{
    DemoSentiment.Step(ref state, id);
}

Console.WriteLine($"streamed final state[0..4]: {string.Join(", ", state.Output[..4].ToArray())}");

// The w8a8 (int8) copy: its prediction, and its integer accumulators on this machine's path against the scalar path
// (random int8 vectors through the internal test hook): integer sums are exact, so they must be equal.
Console.WriteLine($"int8 w8a8 P(int8) = {DemoSentimentW8A8.Predict(tokens):F4} on {DemoSentimentW8A8.SimdPath} (integer kernel: {DemoSentimentW8A8.IntegerDotPath})");
Console.WriteLine($"int8 accumulators {DemoSentimentW8A8.SimdPath} vs scalar: {(Int8Check.AccumulatorsMatch(DemoSentimentW8A8.SimdPath) ? "equal" : "DIFFERENT")} " +
                  $"(ARM dot product: {System.Runtime.Intrinsics.Arm.Dp.IsSupported})");

// A quick timing of Predict over the 8 tokens (not a benchmark: see tests/TinyGru.Benchmarks); --quick skips it.
if (args.Length > 0 && args[0] == "--quick")
{
    return;
}

const int calls = 100_000;
for (int i = 0; i < 1000; i++) DemoSentiment.Predict(tokens);
var watch = Stopwatch.StartNew();
long before = GC.GetAllocatedBytesForCurrentThread();
float sink = 0;
for (int i = 0; i < calls; i++) sink += DemoSentiment.Predict(tokens);
watch.Stop();
Console.WriteLine($"Predict: {watch.Elapsed.TotalMilliseconds * 1e6 / calls / tokens.Length:F1} ns per token, {GC.GetAllocatedBytesForCurrentThread() - before} bytes allocated ({sink:F1})");

/// <summary>Compares the w8a8 accumulators of one path with the scalar path's.</summary>
internal static class Int8Check
{
    internal static bool AccumulatorsMatch(string path)
    {
        var random = new Random(3);
        Span<sbyte> q = stackalloc sbyte[64];
        Span<int> expected = stackalloc int[3 * 64], actual = stackalloc int[3 * 64];
        for (int trial = 0; trial < 50; trial++)
        {
            for (int i = 0; i < q.Length; i++) q[i] = trial == 0 ? (sbyte)127 : (sbyte)random.Next(-127, 128);
            foreach (string matrix in new[] { "WxL0", "WhL0" })
            {
                DemoSentimentW8A8.IntegerAccumulatorsForTests(matrix, "scalar", q, expected);
                if (!DemoSentimentW8A8.IntegerAccumulatorsForTests(matrix, path, q, actual) || !expected.SequenceEqual(actual)) return false;
            }
        }

        return true;
    }
}
