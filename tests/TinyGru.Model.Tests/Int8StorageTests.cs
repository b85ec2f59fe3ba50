using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;
using TinyGru.Model.Validation;
using Xunit;

namespace TinyGru.Model.Tests;

/// <summary>int8 tensors with per-row scales in the format: round trips and the rules that guard them.</summary>
public sealed class Int8StorageTests
{
    /// <summary>The tiny text classifier with every weight matrix stored as int8 (q = index pattern, scales 0.01·(row+1)).</summary>
    private static GruModel Int8Model(QuantizationMode mode = QuantizationMode.W8A32, Func<Tensor, Tensor>? edit = null)
    {
        GruModel model = TinyModels.TextClassifier();
        Tensor[] tensors = model.Tensors.Select(t =>
        {
            Tensor stored = t.Shape.Count != 2
                ? t
                : new Tensor(t.Name, [.. t.Shape],
                    Enumerable.Range(0, t.ElementCount).Select(i => (sbyte)(i % 255 - 127)).ToArray(),
                    Enumerable.Range(0, t.Shape[0]).Select(r => 0.01f * (r + 1)).ToArray());
            return edit?.Invoke(stored) ?? stored;
        }).ToArray();
        return new GruModel(model.Architecture, tensors, model.Text, model.Provenance, new QuantizationSpec(mode));
    }

    [Theory]
    [InlineData(QuantizationMode.W8A32)]
    [InlineData(QuantizationMode.W8A8)]
    public void Int8_tensors_survive_a_round_trip_bit_for_bit(QuantizationMode mode)
    {
        GruModel model = Int8Model(mode);

        GruModel reread = ModelFileReader.Parse(ModelFileWriter.ToText(model), "int8.tgru");

        Assert.Equal(mode, reread.Quantization!.Mode);
        for (int i = 0; i < model.Tensors.Count; i++)
        {
            Assert.Equal(model.Tensors[i].DataType, reread.Tensors[i].DataType);
            Assert.Equal(model.Tensors[i].Quantized, reread.Tensors[i].Quantized);
            Assert.Equal(model.Tensors[i].RowScales, reread.Tensors[i].RowScales);
            Assert.Equal(model.Tensors[i].Values, reread.Tensors[i].Values);
        }
    }

    [Fact]
    public void Values_of_an_int8_tensor_are_q_times_the_row_scale()
    {
        var tensor = new Tensor("w", [2, 3], [1, -2, 127, -127, 0, 5], [0.5f, 0.25f]);

        Assert.Equal([0.5f, -1f, 63.5f, -31.75f, 0f, 1.25f], tensor.Values);
        Assert.Equal(6 + 2 * 4, tensor.PayloadBytes);
    }

    [Fact]
    public void Minus_128_is_rejected_because_the_format_is_symmetric()
    {
        var e = Assert.Throws<ModelValidationException>(() => Int8Model(edit: t =>
            t.Name == TensorNames.WeightHh(0, false) ? new Tensor(t.Name, [.. t.Shape], [sbyte.MinValue, .. t.Quantized!.Skip(1)], t.RowScales!) : t));

        Assert.Equal("tensors[\"gru.weight_hh_l0\"].data", e.Problems[0].FieldPath);
        Assert.Contains("−128", e.Problems[0].Message);
    }

    [Theory]
    [InlineData(-0.5f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_bad_row_scale_is_rejected(float scale)
    {
        var e = Assert.Throws<ModelValidationException>(() => Int8Model(edit: t =>
            t.Name == TensorNames.HeadWeight ? new Tensor(t.Name, [.. t.Shape], t.Quantized!, [scale]) : t));

        Assert.Equal("tensors[\"head.weight\"].rowScales", e.Problems[0].FieldPath);
    }

    [Fact]
    public void A_quantized_model_must_store_every_weight_matrix_as_int8()
    {
        GruModel floatModel = TinyModels.TextClassifier();
        var e = Assert.Throws<ModelValidationException>(() => Int8Model(edit: t =>
            t.Name == TensorNames.WeightIh(0, false) ? floatModel[t.Name] : t));

        Assert.Equal("tensors[\"gru.weight_ih_l0\"].dtype", e.Problems[0].FieldPath);
        Assert.Contains("stores every weight matrix as int8", e.Problems[0].Message);
    }

    [Fact]
    public void A_float_model_may_not_hold_int8_tensors()
    {
        GruModel quantized = Int8Model();

        var e = Assert.Throws<ModelValidationException>(() =>
            new GruModel(quantized.Architecture, quantized.Tensors, quantized.Text, quantized.Provenance, quantization: null));

        Assert.EndsWith(".dtype", e.Problems[0].FieldPath);
        Assert.Contains("float model", e.Problems[0].Message);
    }

    [Fact]
    public void An_unknown_quantization_mode_is_named()
    {
        string text = ModelFileWriter.ToText(Int8Model()).Replace("\"mode\": \"w8a32\"", "\"mode\": \"w4a16\"");

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFileReader.Parse(text, "q.tgru"));

        Assert.Equal("quantization.mode", e.FieldPath);
        Assert.Contains("w4a16", TinyModels.Line(text, e.Line));
    }

    [Fact]
    public void A_corrupted_row_scale_payload_is_a_checksum_mismatch()
    {
        string text = ModelFileWriter.ToText(Int8Model());
        int scales = text.IndexOf("\"rowScales\"", StringComparison.Ordinal);
        int data = text.IndexOf("\"data\": \"", scales, StringComparison.Ordinal) + 9;
        string corrupted = text[..data] + (text[data] == 'A' ? 'B' : 'A') + text[(data + 1)..];

        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFileReader.Parse(corrupted, "q.tgru"));

        Assert.EndsWith(".rowScales.checksum", e.FieldPath);
    }
}
