using System;
using Microsoft.ML.OnnxRuntime;

namespace TinyGru.Benchmarks;

/// <summary>
/// ONNX Runtime running the same GRU (models/sN.onnx, one GRU node): one thread, sequential, all graph optimizations,
/// IOBinding over pinned arrays (no managed allocation per call), as in ../shared/docs/peers.md.
/// </summary>
public sealed class OrtGru : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtIoBinding _binding;
    private readonly OrtValue[] _values;
    private readonly float[] _h0, _hn;

    /// <summary>Loads <paramref name="path"/> for sequences of <paramref name="steps"/> steps.</summary>
    public OrtGru(string path, int inputSize, int hiddenSize, int steps)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(path, options);
        Input = new float[steps * inputSize];
        Output = new float[steps * hiddenSize];
        _h0 = new float[hiddenSize];
        _hn = new float[hiddenSize];
        _values = new[]
        {
            OrtValue.CreateTensorValueFromMemory(Input, new long[] { steps, 1, inputSize }),
            OrtValue.CreateTensorValueFromMemory(_h0, new long[] { 1, 1, hiddenSize }),
            OrtValue.CreateTensorValueFromMemory(Output, new long[] { steps, 1, 1, hiddenSize }),
            OrtValue.CreateTensorValueFromMemory(_hn, new long[] { 1, 1, hiddenSize }),
        };
        _binding = _session.CreateIoBinding();
        _binding.BindInput("X", _values[0]);
        _binding.BindInput("initial_h", _values[1]);
        _binding.BindOutput("Y", _values[2]);
        _binding.BindOutput("Y_h", _values[3]);
    }

    /// <summary>The bound input [steps × I].</summary>
    public float[] Input { get; }

    /// <summary>The bound output [steps × H].</summary>
    public float[] Output { get; }

    /// <summary>The state after the last call.</summary>
    public ReadOnlySpan<float> State => _hn;

    /// <summary>Runs the bound sequence from the current state; the final state becomes the next call's initial state.</summary>
    public void Run()
    {
        _session.RunWithBinding(_run, _binding);
        _hn.AsSpan().CopyTo(_h0);
    }

    /// <summary>Starts again from h = 0.</summary>
    public void Reset() => Array.Clear(_h0);

    /// <inheritdoc/>
    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }

        _session.Dispose();
        _run.Dispose();
    }
}
