using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using TinyGru.Int8Accuracy;
using TinyGru.Training.Data;

// Usage: TinyGru.Int8Accuracy <test data: test.tsv.gz, a folder per class, or label,text file>
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: TinyGru.Int8Accuracy <IMDb test.tsv.gz | aclImdb test folder | label,text file>");
    return 2;
}

IReadOnlyList<LabeledText> reviews = ImdbDataset.Load(args[0]).Examples;
var engines = new (string Name, Func<string, float> Predict)[]
{
    ("float32", text => FloatModel.Predict(text)),
    ("int8 w8a32", text => W8A32Model.Predict(text)),
    ("int8 w8a8", text => W8A8Model.Predict(text)),
};

Console.WriteLine($"{reviews.Count:N0} reviews from {args[0]}; SIMD path {FloatModel.SimdPath}");
var probabilities = new float[engines.Length][];
for (int e = 0; e < engines.Length; e++)
{
    var p = new float[reviews.Count];
    var clock = System.Diagnostics.Stopwatch.StartNew();
    Parallel.For(0, reviews.Count, i => p[i] = engines[e].Predict(reviews[i].Text));
    probabilities[e] = p;
    Console.WriteLine($"  {engines[e].Name}: {clock.Elapsed.TotalSeconds:0.0} s");
}

static int Label(float p) => p >= 0.5f ? 1 : 0;
double Accuracy(float[] p) => (double)Enumerable.Range(0, p.Length).Count(i => Label(p[i]) == reviews[i].Label) / p.Length;

Console.WriteLine();
Console.WriteLine("| model | test accuracy | Δ vs float (points) | same label as float | max abs Δp | mean abs Δp |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
double floatAccuracy = Accuracy(probabilities[0]);
for (int e = 0; e < engines.Length; e++)
{
    float[] p = probabilities[e], f = probabilities[0];
    int same = Enumerable.Range(0, p.Length).Count(i => Label(p[i]) == Label(f[i]));
    double max = Enumerable.Range(0, p.Length).Max(i => Math.Abs(p[i] - f[i]));
    double mean = Enumerable.Range(0, p.Length).Average(i => Math.Abs(p[i] - f[i]));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {engines[e].Name} | {100 * Accuracy(p):0.00}% | {100 * (Accuracy(p) - floatAccuracy):+0.00;-0.00;0.00} | {same:N0} / {p.Length:N0} ({100.0 * same / p.Length:0.00}%) | {max:0.0e+0} | {mean:0.0e+0} |"));
}

return 0;
