using TinyGru.Model;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;

namespace TinyGru.Quantization;

/// <summary>
/// Symmetric per-row int8 quantization: every weight matrix row r gets the scale s_r = max|w_r| / 127 and the
/// values q = round(w / s_r) in [−127, 127] (ties to even); a row of zeros gets scale 0. Biases stay float32.
/// </summary>
public static class Quantizer
{
    /// <summary>The largest int8 magnitude used (symmetric: −128 is never produced).</summary>
    public const int MaxLevel = 127;

    /// <summary>A quantized copy of <paramref name="model"/> that runs in <paramref name="mode"/>.</summary>
    /// <exception cref="ArgumentException">The model is already quantized.</exception>
    public static GruModel Quantize(GruModel model, QuantizationMode mode)
    {
        if (model.Quantization is not null)
        {
            throw new ArgumentException($"the model is already quantized ({model.Quantization.ModeName}); quantize its float original instead");
        }

        Tensor[] tensors = model.Tensors.Select(t => t.Shape.Count == 2 ? QuantizeRows(t) : t).ToArray();
        Provenance provenance = model.Provenance with
        {
            Notes = (model.Provenance.Notes is null ? "" : model.Provenance.Notes + "; ") + $"quantized to int8 ({new QuantizationSpec(mode).ModeName}) by tinygru quantize",
        };
        return new GruModel(model.Architecture, tensors, model.Text, provenance, new QuantizationSpec(mode));
    }

    /// <summary>Quantizes each row of a float32 matrix with its own scale.</summary>
    public static Tensor QuantizeRows(Tensor tensor)
    {
        int rows = tensor.Shape[0], columns = tensor.Shape[1];
        float[] values = tensor.Values;
        var quantized = new sbyte[values.Length];
        var scales = new float[rows];
        for (int row = 0; row < rows; row++)
        {
            ReadOnlySpan<float> weights = values.AsSpan(row * columns, columns);
            float maxAbs = 0;
            foreach (float w in weights)
            {
                maxAbs = MathF.Max(maxAbs, MathF.Abs(w));
            }

            float scale = maxAbs / MaxLevel;
            scales[row] = scale;
            if (scale == 0)
            {
                continue; // an all-zero row (e.g. the embedding's padding row) stays zero
            }

            for (int k = 0; k < columns; k++)
            {
                float level = MathF.Round(weights[k] / scale, MidpointRounding.ToEven);
                quantized[row * columns + k] = (sbyte)Math.Clamp(level, -MaxLevel, MaxLevel);
            }
        }

        return new Tensor(tensor.Name, [rows, columns], quantized, scales);
    }
}
