using BenchmarkDotNet.Attributes;
using TinyGru.Benchmarks.Contenders;
using TinyGru.Model;

namespace TinyGru.Benchmarks;

/// <summary>A whole 256-step sequence of S4 (I=100, H=256) from h = 0, every step's output kept.</summary>
[MemoryDiagnoser]
public class SequenceBenchmarks
{
    private const int Steps = 256;
    private OrtGru _ort = null!;
    private NaiveGru _naive = null!;
    private float[] _inputs = null!, _naiveState = null!;
    private int _inputSize;

    [GlobalSetup]
    public void Setup()
    {
        GruModel model = BenchmarkModels.Load("S4");
        _inputSize = model.Architecture.Gru.InputSize;
        _inputs = BenchmarkModels.Inputs(model.Architecture.Gru, Steps);
        _ort = new OrtGru(model, Steps, _inputs);
        _naive = new NaiveGru(model);
        _naiveState = new float[model.Architecture.Gru.HiddenSize];

        float[] expected = ContenderCheck.ReferenceStates(model, _inputs, Steps)[Steps - 1];
        ContenderCheck.Require("ONNX Runtime", "S4 seq256", expected, OnnxRuntime().AsSpan(^_naiveState.Length..));
        NaiveLoop();
        ContenderCheck.Require("naive C#", "S4 seq256", expected, _naiveState);
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Baseline = true, Description = "ONNX Runtime (IOBinding)")]
    public float[] OnnxRuntime()
    {
        _ort.Reset();
        _ort.Run();
        return _ort.Output;
    }

    [Benchmark(Description = "naive C# loop")]
    public float[] NaiveLoop()
    {
        Array.Clear(_naiveState);
        for (int t = 0; t < Steps; t++)
        {
            _naive.Step(_inputs.AsSpan(t * _inputSize, _inputSize), _naiveState);
        }

        return _naiveState;
    }
}
