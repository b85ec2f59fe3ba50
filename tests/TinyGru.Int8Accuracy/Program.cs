using System;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using TinyGru;

// IMDb test accuracy of the float model and its two int8 compilations, on every review of a label<TAB>text file.
string path = args.Length > 0 ? args[0] : Path.Combine("..", "..", "..", "shared", "data", "imdb", "test.tsv.gz");
int limit = args.Length > 1 ? int.Parse(args[1]) : int.MaxValue;
var names = new[] { "float32", "w8a32", "w8a8" };
Func<string, float>[] models = { t => ImdbFloat.Predict(t), t => ImdbW8A32.Predict(t), t => ImdbW8A8.Predict(t) };
var correct = new int[3];
var sameLabel = new int[3];
var maxDiff = new double[3];
var sumDiff = new double[3];
var elapsed = new TimeSpan[3];
long tokens = 0;
int count = 0;
using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
for (string? line = reader.ReadLine(); line is not null && count < limit; line = reader.ReadLine())
{
    int tab = line.IndexOf('\t');
    bool positive = line.AsSpan(0, tab).SequenceEqual("pos");
    string text = line[(tab + 1)..];
    tokens += ImdbW8A8.CountTokens(text);
    var p = new float[3];
    for (int m = 0; m < 3; m++)
    {
        long start = Stopwatch.GetTimestamp();
        p[m] = models[m](text);
        elapsed[m] += Stopwatch.GetElapsedTime(start);
        if ((p[m] >= 0.5f) == positive) correct[m]++;
        if ((p[m] >= 0.5f) == (p[0] >= 0.5f)) sameLabel[m]++;
        double d = Math.Abs(p[m] - p[0]);
        maxDiff[m] = Math.Max(maxDiff[m], d);
        sumDiff[m] += d;
    }

    count++;
}

Console.WriteLine($"{count} reviews, {tokens} tokens, SIMD path {ImdbW8A8.SimdPath}");
Console.WriteLine("| model | test accuracy | Δ vs float (points) | same label as float | max abs Δp vs float | mean abs Δp | time per token |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
for (int m = 0; m < 3; m++)
{
    double accuracy = 100.0 * correct[m] / count;
    Console.WriteLine($"| {names[m]} | {accuracy:F2}% | {accuracy - 100.0 * correct[0] / count:+0.00;-0.00;0.00} | {sameLabel[m]} ({100.0 * sameLabel[m] / count:F2}%) | {maxDiff[m]:E2} | {sumDiff[m] / count:E2} | {elapsed[m].TotalMilliseconds * 1e6 / tokens:F0} ns |");
}

/// <summary>The float IMDb model.</summary>
[GruModel("imdb-gru.tgru")]
public partial class ImdbFloat;

/// <summary>The shipped int8 model (w8a32).</summary>
[GruModel("imdb-sentiment.tgru")]
public partial class ImdbW8A32;

/// <summary>The float model quantized to w8a8.</summary>
[GruModel("imdb-w8a8.tgru")]
public partial class ImdbW8A8;
