using TinyGru.Model;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Quantization.Tests;

public sealed class QuantizerTests
{
    [Fact]
    public void Each_row_gets_max_abs_over_127_and_values_round_to_nearest()
    {
        var tensor = new Tensor("w", [2, 3], [0.5f, -1.27f, 0.004f, 0f, 0f, 0f]);

        Tensor q = Quantizer.QuantizeRows(tensor);

        Assert.Equal(TensorDataType.Int8, q.DataType);
        Assert.Equal([1.27f / 127, 0f], q.RowScales!);
        Assert.Equal([50, -127, 0, 0, 0, 0], q.Quantized!.Select(v => (int)v));
    }

    [Theory]
    [MemberData(nameof(Sentiment))]
    public void Every_weight_is_within_half_a_step_of_its_float_value(string referenceCase, string convention)
    {
        GruModel model = SentimentCase.Load(referenceCase).ToModel();
        Assert.Equal(convention, Model.Architecture.GruConventionNames.ToName(model.Architecture.Gru.Convention));

        GruModel quantized = Quantizer.Quantize(model, QuantizationMode.W8A32);

        foreach (Tensor q in quantized.Tensors.Where(t => t.DataType == TensorDataType.Int8))
        {
            float[] original = model[q.Name].Values;
            int columns = q.Shape[1];
            Assert.DoesNotContain(sbyte.MinValue, q.Quantized!);
            for (int i = 0; i < original.Length; i++)
            {
                float halfStep = q.RowScales![i / columns] / 2;
                Assert.True(Math.Abs(original[i] - q.Values[i]) <= halfStep * (1 + 1e-5f) + 1e-12f,
                    $"{q.Name}[{i}]: {original[i]} → {q.Values[i]} is more than half a step ({halfStep}) away");
            }
        }

        Assert.All(quantized.Tensors.Where(t => t.Shape.Count == 1), bias => Assert.Equal(TensorDataType.Float32, bias.DataType));
    }

    public static TheoryData<string, string> Sentiment => ReferenceCaseData.Of("sentiment");

    [Fact]
    public void Quantizing_twice_is_refused()
    {
        GruModel quantized = Quantizer.Quantize(SentimentCase.Load("sentiment/s01_v2000_e32_h16.json").ToModel(), QuantizationMode.W8A32);

        Assert.Throws<ArgumentException>(() => Quantizer.Quantize(quantized, QuantizationMode.W8A32));
    }

    [Fact]
    public void The_report_measures_output_deviation_and_label_agreement()
    {
        GruModel model = SentimentCase.Load("sentiment/s02_v1000_e64_h64.json").ToModel();
        GruModel quantized = Quantizer.Quantize(model, QuantizationMode.W8A32);
        IReadOnlyList<CalibrationSequence> calibration = CalibrationSet.Synthetic(model, count: 16);

        QuantizationReport report = QuantizationReport.Measure(model, quantized, calibration);

        Assert.Equal(["embedding.weight", "gru.weight_ih_l0", "gru.weight_hh_l0", "head.weight"], report.Tensors.Select(t => t.Name));
        Assert.Equal(16, report.Outputs.Sequences);
        Assert.Equal("probabilities", report.Outputs.What);
        Assert.InRange(report.Outputs.MaxAbs, 1e-7, 1e-2); // non-zero: the weights did change; small: int8 keeps the model
        Assert.Equal(16, report.Outputs.LabelsAgreeing);

        // The same comparison by hand for one sequence.
        var tokens = (TokenSequence)calibration[0];
        double difference = Math.Abs(new Reference.ReferenceEngine(model).Predict(tokens.Ids).Outputs[0]
                                   - new Reference.ReferenceEngine(quantized).Predict(tokens.Ids).Outputs[0]);
        Assert.True(difference <= report.Outputs.MaxAbs);
    }

    [Fact]
    public void A_calibration_file_with_a_bad_line_names_file_and_line()
    {
        GruModel model = SentimentCase.Load("sentiment/s02_v1000_e64_h64.json").ToModel();
        string path = Path.Combine(Directory.CreateTempSubdirectory("tinygru-q-").FullName, "calibration.txt");
        File.WriteAllText(path, "5 17 42\n\n# a comment\n3, 9, 1000\n");

        FormatException e = Assert.Throws<FormatException>(() => CalibrationSet.Read(path, model));

        Assert.Contains("calibration.txt:4", e.Message);
        Assert.Contains("id 1000", e.Message);
    }

    [Fact]
    public void A_feature_calibration_file_is_read_step_by_step()
    {
        GruModel model = ForwardCase.Load("gru/forward/f02_i1_h3_h0.json").ToModel();
        string path = Path.Combine(Directory.CreateTempSubdirectory("tinygru-q-").FullName, "features.txt");
        File.WriteAllText(path, "0.5; -1; 2\n1;2\n");

        IReadOnlyList<CalibrationSequence> sequences = CalibrationSet.Read(path, model);

        Assert.Equal([[0.5f], [-1f], [2f]], ((FeatureSequence)sequences[0]).Steps);
        Assert.Equal(2, ((FeatureSequence)sequences[1]).Steps.Length);
        QuantizationReport report = QuantizationReport.Measure(model, Quantizer.Quantize(model, QuantizationMode.W8A32), sequences);
        Assert.Equal("GRU outputs at every step", report.Outputs.What);
        Assert.Null(report.Outputs.LabelsAgreeing);
    }
}
