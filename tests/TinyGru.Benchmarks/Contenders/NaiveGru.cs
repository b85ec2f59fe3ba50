using TinyGru.Model;
using TinyGru.Model.Architecture;

namespace TinyGru.Benchmarks.Contenders;

/// <summary>
/// The baseline a C# developer writes first: one step of a one-layer PyTorch-convention GRU as straightforward
/// loops over float arrays with <see cref="MathF"/> activations. Buffers allocated once.
/// </summary>
public sealed class NaiveGru
{
    private readonly int _input, _hidden;
    private readonly float[] _wih, _whh, _bih, _bhh;
    private readonly float[] _gatesX, _gatesH;

    public NaiveGru(GruModel model)
    {
        GruStackSpec gru = model.Architecture.Gru;
        _input = gru.InputSize;
        _hidden = gru.HiddenSize;
        _wih = model[TensorNames.WeightIh(0, false)].Values;
        _whh = model[TensorNames.WeightHh(0, false)].Values;
        _bih = model[TensorNames.BiasIh(0, false)].Values;
        _bhh = model[TensorNames.BiasHh(0, false)].Values;
        _gatesX = new float[3 * _hidden];
        _gatesH = new float[3 * _hidden];
    }

    /// <summary>h ← GRU(x, h).</summary>
    public void Step(ReadOnlySpan<float> x, Span<float> h)
    {
        int hidden = _hidden;
        for (int row = 0; row < 3 * hidden; row++)
        {
            float sx = _bih[row], sh = _bhh[row];
            for (int k = 0; k < _input; k++)
            {
                sx += _wih[row * _input + k] * x[k];
            }

            for (int k = 0; k < hidden; k++)
            {
                sh += _whh[row * hidden + k] * h[k];
            }

            _gatesX[row] = sx;
            _gatesH[row] = sh;
        }

        for (int j = 0; j < hidden; j++)
        {
            float r = 1f / (1f + MathF.Exp(-(_gatesX[j] + _gatesH[j])));
            float z = 1f / (1f + MathF.Exp(-(_gatesX[hidden + j] + _gatesH[hidden + j])));
            float n = MathF.Tanh(_gatesX[2 * hidden + j] + r * _gatesH[2 * hidden + j]);
            h[j] = (1f - z) * n + z * h[j];
        }
    }
}
