using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/TinyGru.Benchmarks -- --filter '*'   (see docs/benchmarks.md)
BenchmarkSwitcher.FromAssembly(typeof(TinyGru.Benchmarks.BenchmarkModels).Assembly).Run(args);
