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
