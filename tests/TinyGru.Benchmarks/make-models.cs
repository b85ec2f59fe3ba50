#:project ../../src/TinyGru.Model/TinyGru.Model.csproj
#:property TreatWarningsAsErrors=false
// Writes the benchmark models S1–S4 (Models/s{n}_i{I}_h{H}.tgru): bare GRUs with PyTorch's default
// initialisation U(−1/√H, 1/√H) from a fixed seed, so every contender runs the same weights.
// Run from this folder: dotnet run make-models.cs
using System;
using System.IO;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Model.Tensors;

(string Name, int Input, int Hidden)[] configurations = [("s1", 1, 8), ("s2", 3, 16), ("s3", 32, 64), ("s4", 100, 256)];
foreach (var (name, input, hidden) in configurations)
{
    var architecture = new NetworkArchitecture(null, new GruStackSpec(input, hidden, 1, false, GruConvention.PyTorch), null);
    var random = new Random(1000 + hidden);
    float bound = 1f / MathF.Sqrt(hidden);
    var tensors = architecture.TensorSlots()
        .Select(slot => new Tensor(slot.Name, slot.Shape,
            Enumerable.Range(0, slot.Shape.Aggregate(1, (a, b) => a * b)).Select(_ => (float)(random.NextDouble() * 2 - 1) * bound).ToArray()))
        .ToList();
    var model = new GruModel(architecture, tensors, null,
        Provenance.From("tests/TinyGru.Benchmarks/make-models.cs", $"benchmark configuration {name.ToUpperInvariant()} (I={input}, H={hidden}), PyTorch default init, seed {1000 + hidden}"));
    string path = Path.Combine("Models", $"{name}_i{input}_h{hidden}.tgru");
    ModelFileWriter.Write(model, path);
    Console.WriteLine($"wrote {path}");
}
