using BenchmarkDotNet.Attributes;
using TinyGru.Benchmarks.Contenders;
using TinyGru.Model;

namespace TinyGru.Benchmarks;

/// <summary>
/// Streaming: one GRU step per call (batch 1, float32, single thread), the hidden state carried from call to
/// call. ONNX Runtime is the baseline; every contender runs the same weights in the same process.
/// </summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private OrtGru _ort = null!;
    private NaiveGru _naive = null!;
    private float[] _x = null!, _naiveState = null!;

    /// <summary>S1 (I=1, H=8) … S4 (I=100, H=256).</summary>
    [ParamsSource(nameof(Configurations))]
    public string Config { get; set; } = "S1";

    public static IEnumerable<string> Configurations => BenchmarkModels.Names;

    [GlobalSetup]
    public void Setup()
    {
        GruModel model = BenchmarkModels.Load(Config);
        _x = BenchmarkModels.Inputs(model.Architecture.Gru, 1);
        _ort = new OrtGru(model, 1, (float[])_x.Clone());
        _naive = new NaiveGru(model);
        _naiveState = new float[model.Architecture.Gru.HiddenSize];

        // One step from h = 0 must match the reference engine before anything is timed.
        float[] expected = ContenderCheck.ReferenceStates(model, _x, 1)[0];
        _ort.Run();
        _naive.Step(_x, _naiveState);
        ContenderCheck.Require("ONNX Runtime", Config, expected, _ort.State);
        ContenderCheck.Require("naive C#", Config, expected, _naiveState);
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark(Baseline = true, Description = "ONNX Runtime (IOBinding)")]
    public float OnnxRuntime()
    {
        _ort.Run();
        return _ort.State[0];
    }

    [Benchmark(Description = "naive C# loop")]
    public float NaiveLoop()
    {
        _naive.Step(_x, _naiveState);
        return _naiveState[0];
    }
}
