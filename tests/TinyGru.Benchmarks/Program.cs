using System;
using System.IO;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using TinyGru.Benchmarks;

BenchmarkSwitcher.FromAssembly(typeof(StepBenchmarks).Assembly).Run(args);

/// <summary>Per-step streaming: one Step call per sample, state carried across calls.</summary>
[MemoryDiagnoser]
public class StepBenchmarks
{
    private readonly float[] _x1 = Inputs(1), _x2 = Inputs(3), _x3 = Inputs(32), _x4 = Inputs(100);
    private S1.State _s1;
    private S2.State _s2;
    private S3.State _s3;
    private S4.State _s4;
    private S3W8A8.State _s3q8;
    private S3W8A32.State _s3q32;
    private S4W8A8.State _s4q8;
    private S4W8A32.State _s4q32;
    private NaiveGru _n1 = null!, _n2 = null!, _n3 = null!, _n4 = null!;
    private readonly float[] _h1 = new float[8], _h2 = new float[16], _h3 = new float[64], _h4 = new float[256];
    private OrtGru _o1 = null!, _o2 = null!, _o3 = null!, _o4 = null!;

    internal static float[] Inputs(int n)
    {
        var random = new Random(n);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(random.NextDouble() * 2 - 1);
        return x;
    }

    internal static string ModelPath(string name) => Path.Combine(AppContext.BaseDirectory, "models", name + ".tgru");

    [GlobalSetup]
    public void Setup()
    {
        _n1 = new NaiveGru(ModelPath("s1"));
        _n2 = new NaiveGru(ModelPath("s2"));
        _n3 = new NaiveGru(ModelPath("s3"));
        _n4 = new NaiveGru(ModelPath("s4"));
        _o1 = Ort("s1", 1, 8, _x1);
        _o2 = Ort("s2", 3, 16, _x2);
        _o3 = Ort("s3", 32, 64, _x3);
        _o4 = Ort("s4", 100, 256, _x4);
        CheckAgainstOrt<S1.State>(_o1, _x1, S1.Step, (in S1.State s, Span<float> d) => s.CopyTo(d));
        CheckAgainstOrt<S2.State>(_o2, _x2, S2.Step, (in S2.State s, Span<float> d) => s.CopyTo(d));
        CheckAgainstOrt<S3.State>(_o3, _x3, S3.Step, (in S3.State s, Span<float> d) => s.CopyTo(d));
        CheckAgainstOrt<S4.State>(_o4, _x4, S4.Step, (in S4.State s, Span<float> d) => s.CopyTo(d));
        // The int8 models run the quantized weights: close to the float ones, not equal (a loose sanity check).
        CheckAgainstOrt<S3W8A8.State>(_o3, _x3, S3W8A8.Step, (in S3W8A8.State s, Span<float> d) => s.CopyTo(d), 0.05f);
        CheckAgainstOrt<S3W8A32.State>(_o3, _x3, S3W8A32.Step, (in S3W8A32.State s, Span<float> d) => s.CopyTo(d), 0.05f);
        CheckAgainstOrt<S4W8A8.State>(_o4, _x4, S4W8A8.Step, (in S4W8A8.State s, Span<float> d) => s.CopyTo(d), 0.05f);
        CheckAgainstOrt<S4W8A32.State>(_o4, _x4, S4W8A32.Step, (in S4W8A32.State s, Span<float> d) => s.CopyTo(d), 0.05f);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _o1.Dispose();
        _o2.Dispose();
        _o3.Dispose();
        _o4.Dispose();
    }

    private static OrtGru Ort(string name, int i, int h, float[] x)
    {
        var ort = new OrtGru(Path.ChangeExtension(ModelPath(name), ".onnx"), i, h, 1);
        x.CopyTo(ort.Input, 0);
        return ort;
    }

    private delegate void Stepper<TState>(ref TState state, ReadOnlySpan<float> x);

    private delegate void Reader<TState>(in TState state, Span<float> destination);

    // Both engines must compute the same function before their speed is compared: three steps from h = 0.
    private static void CheckAgainstOrt<TState>(OrtGru ort, float[] x, Stepper<TState> step, Reader<TState> read, float tolerance = 1e-5f) where TState : struct
    {
        TState state = default;
        ort.Reset();
        for (int t = 0; t < 3; t++)
        {
            step(ref state, x);
            ort.Run();
        }

        var mine = new float[ort.State.Length];
        read(in state, mine);
        for (int j = 0; j < mine.Length; j++)
        {
            if (Math.Abs(mine[j] - ort.State[j]) > tolerance)
            {
                throw new InvalidOperationException($"TinyGru and ONNX Runtime disagree at h[{j}]: {mine[j]} vs {ort.State[j]}");
            }
        }

        ort.Reset();
    }

    [Benchmark] public void S1_Ort() => _o1.Run();
    [Benchmark] public void S2_Ort() => _o2.Run();
    [Benchmark] public void S3_Ort() => _o3.Run();
    [Benchmark] public void S4_Ort() => _o4.Run();
    [Benchmark] public void S1_TinyGru() => S1.Step(ref _s1, _x1);
    [Benchmark] public void S1_Naive() => _n1.Step(_x1, _h1);
    [Benchmark] public void S2_TinyGru() => S2.Step(ref _s2, _x2);
    [Benchmark] public void S2_Naive() => _n2.Step(_x2, _h2);
    [Benchmark] public void S3_TinyGru() => S3.Step(ref _s3, _x3);
    [Benchmark] public void S3_Naive() => _n3.Step(_x3, _h3);
    [Benchmark] public void S4_TinyGru() => S4.Step(ref _s4, _x4);
    [Benchmark] public void S4_Naive() => _n4.Step(_x4, _h4);
    [Benchmark] public void S3_TinyGru_W8A8() => S3W8A8.Step(ref _s3q8, _x3);
    [Benchmark] public void S3_TinyGru_W8A32() => S3W8A32.Step(ref _s3q32, _x3);
    [Benchmark] public void S4_TinyGru_W8A8() => S4W8A8.Step(ref _s4q8, _x4);
    [Benchmark] public void S4_TinyGru_W8A32() => S4W8A32.Step(ref _s4q32, _x4);
}

/// <summary>A whole 256-step S4 sequence, h0 = 0.</summary>
[MemoryDiagnoser]
public class SequenceBenchmarks
{
    private const int Steps = 256;
    private readonly float[] _inputs = StepBenchmarks.Inputs(Steps * 100);
    private readonly float[] _outputs = new float[Steps * 256];
    private readonly float[] _final = new float[256];
    private readonly float[] _h = new float[256];
    private NaiveGru _naive = null!;
    private OrtGru _ort = null!;

    [GlobalSetup]
    public void Setup()
    {
        _naive = new NaiveGru(StepBenchmarks.ModelPath("s4"));
        _ort = new OrtGru(Path.ChangeExtension(StepBenchmarks.ModelPath("s4"), ".onnx"), 100, 256, Steps);
        _inputs.CopyTo(_ort.Input, 0);
        _ort.Run();
        S4.Forward(_inputs, _outputs, _final);
        for (int j = 0; j < 256; j++)
        {
            if (Math.Abs(_final[j] - _ort.State[j]) > 1e-5f)
                throw new InvalidOperationException($"TinyGru and ONNX Runtime disagree at h_n[{j}]: {_final[j]} vs {_ort.State[j]}");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _ort.Dispose();

    [Benchmark]
    public void S4_Seq256_Ort()
    {
        _ort.Reset();
        _ort.Run();
    }

    [Benchmark] public void S4_Seq256_TinyGru() => S4.Forward(_inputs, _outputs, _final);
    [Benchmark] public void S4_Seq256_TinyGru_W8A8() => S4W8A8.Forward(_inputs, _outputs, _final);
    [Benchmark] public void S4_Seq256_TinyGru_W8A32() => S4W8A32.Forward(_inputs, _outputs, _final);

    [Benchmark]
    public void S4_Seq256_Naive()
    {
        Array.Clear(_h);
        for (int t = 0; t < Steps; t++) _naive.Step(_inputs.AsSpan(t * 100, 100), _h);
    }
}
