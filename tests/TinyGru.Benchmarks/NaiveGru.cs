using System;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;

namespace TinyGru.Benchmarks;

/// <summary>The baseline: a straightforward single-layer PyTorch-convention GRU step in C# (scalar loops, MathF activations).</summary>
public sealed class NaiveGru
{
    private readonly float[] _wih, _whh, _bih, _bhh;
    private readonly float[] _gx, _gh;

    /// <summary>Loads the same model file the generated class was compiled from.</summary>
    public NaiveGru(string path)
    {
        GruModel model = ModelFileReader.Read(path);
        InputSize = model.Architecture.Gru.InputSize;
        HiddenSize = model.Architecture.Gru.HiddenSize;
        _wih = model[TensorNames.WeightIh(0, false)].Values;
        _whh = model[TensorNames.WeightHh(0, false)].Values;
        _bih = model[TensorNames.BiasIh(0, false)].Values;
        _bhh = model[TensorNames.BiasHh(0, false)].Values;
        _gx = new float[3 * HiddenSize];
        _gh = new float[3 * HiddenSize];
    }

    /// <summary>I.</summary>
    public int InputSize { get; }

    /// <summary>H.</summary>
    public int HiddenSize { get; }

    /// <summary>h ← GRU(x, h).</summary>
    public void Step(ReadOnlySpan<float> x, Span<float> h)
    {
        int hs = HiddenSize, i = InputSize;
        for (int r = 0; r < 3 * hs; r++)
        {
            float a = _bih[r], b = _bhh[r];
            for (int k = 0; k < i; k++) a += _wih[r * i + k] * x[k];
            for (int k = 0; k < hs; k++) b += _whh[r * hs + k] * h[k];
            _gx[r] = a;
            _gh[r] = b;
        }

        for (int j = 0; j < hs; j++)
        {
            float rg = 1f / (1f + MathF.Exp(-(_gx[j] + _gh[j])));
            float z = 1f / (1f + MathF.Exp(-(_gx[hs + j] + _gh[hs + j])));
            float n = MathF.Tanh(_gx[2 * hs + j] + rg * _gh[2 * hs + j]);
            h[j] = (1 - z) * n + z * h[j];
        }
    }
}
