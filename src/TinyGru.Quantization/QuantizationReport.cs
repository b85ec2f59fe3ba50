using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using TinyGru.Reference;

namespace TinyGru.Quantization;

/// <summary>How far one quantized tensor is from its float original.</summary>
/// <param name="Name">The tensor.</param>
/// <param name="Shape">Its shape as text.</param>
/// <param name="MaxAbsError">max |w − q·s| over the tensor.</param>
/// <param name="MeanAbsError">mean |w − q·s|.</param>
/// <param name="MaxAbsWeight">max |w|, for scale.</param>
public sealed record TensorError(string Name, string Shape, double MaxAbsError, double MeanAbsError, double MaxAbsWeight);

/// <summary>How far the quantized model's outputs are from the float model's over the calibration set.</summary>
/// <param name="Sequences">Calibration sequences run.</param>
/// <param name="What">What was compared: head outputs, or every step's GRU output for a bare GRU.</param>
/// <param name="MaxAbs">Largest absolute difference.</param>
/// <param name="MeanAbs">Mean absolute difference.</param>
/// <param name="LabelsAgreeing">For a one-output sigmoid head: sequences whose label (p ≥ 0.5) is the same; otherwise null.</param>
public sealed record OutputDeviation(int Sequences, string What, double MaxAbs, double MeanAbs, int? LabelsAgreeing);

/// <summary>What <c>tinygru quantize</c> reports: per-tensor weight error and the output deviation.</summary>
/// <param name="Tensors">One row per quantized tensor.</param>
/// <param name="Outputs">Output deviation on the calibration set.</param>
public sealed record QuantizationReport(IReadOnlyList<TensorError> Tensors, OutputDeviation Outputs)
{
    /// <summary>Measures <paramref name="quantized"/> against <paramref name="original"/>.</summary>
    public static QuantizationReport Measure(GruModel original, GruModel quantized, IReadOnlyList<CalibrationSequence> calibration) =>
        new(WeightErrors(original, quantized), Compare(original, quantized, calibration));

    /// <summary>Per-tensor weight error of every int8 tensor.</summary>
    public static IReadOnlyList<TensorError> WeightErrors(GruModel original, GruModel quantized) =>
        quantized.Tensors
            .Where(t => t.DataType == TensorDataType.Int8)
            .Select(q =>
            {
                float[] w = original[q.Name].Values, d = q.Values;
                double max = 0, sum = 0, maxWeight = 0;
                for (int i = 0; i < w.Length; i++)
                {
                    double error = Math.Abs((double)w[i] - d[i]);
                    max = Math.Max(max, error);
                    sum += error;
                    maxWeight = Math.Max(maxWeight, Math.Abs(w[i]));
                }

                return new TensorError(q.Name, q.ShapeText, max, w.Length == 0 ? 0 : sum / w.Length, maxWeight);
            })
            .ToArray();

    /// <summary>
    /// Runs both models on every sequence with the reference engine. With int8 weights (<c>w8a32</c>) the engine
    /// computes exactly what the quantized model means: float activations over the dequantized weights q·s.
    /// </summary>
    public static OutputDeviation Compare(GruModel original, GruModel quantized, IReadOnlyList<CalibrationSequence> calibration)
    {
        var floatEngine = new ReferenceEngine(original);
        var int8Engine = new ReferenceEngine(quantized);
        HeadSpec? head = original.Architecture.Head;
        bool labels = head is { Outputs: 1, Activation: OutputActivation.Sigmoid };
        double max = 0, sum = 0;
        long count = 0;
        int agreeing = 0;
        foreach (CalibrationSequence sequence in calibration)
        {
            float[] expected, actual;
            if (head is not null && original.Architecture.Embedding is not null && sequence is TokenSequence tokens)
            {
                expected = floatEngine.Predict(tokens.Ids).Outputs;
                actual = int8Engine.Predict(tokens.Ids).Outputs;
            }
            else
            {
                float[][] steps = sequence switch
                {
                    TokenSequence t => floatEngine.Embed(t.Ids),
                    FeatureSequence f => f.Steps,
                    _ => throw new ArgumentException("unknown calibration sequence"),
                };
                float[][] quantizedSteps = sequence is TokenSequence ts ? int8Engine.Embed(ts.Ids) : steps;
                GruRun floatRun = floatEngine.RunGru(steps, steps.Length), int8Run = int8Engine.RunGru(quantizedSteps, steps.Length);
                if (head is not null)
                {
                    expected = floatEngine.PredictFromFeatures(floatRun).Outputs;
                    actual = int8Engine.PredictFromFeatures(int8Run).Outputs;
                }
                else
                {
                    expected = floatRun.Outputs.SelectMany(o => o).ToArray();
                    actual = int8Run.Outputs.SelectMany(o => o).ToArray();
                }
            }

            for (int i = 0; i < expected.Length; i++)
            {
                double difference = Math.Abs((double)expected[i] - actual[i]);
                max = Math.Max(max, difference);
                sum += difference;
                count++;
            }

            if (labels && (expected[0] >= 0.5f) == (actual[0] >= 0.5f))
            {
                agreeing++;
            }
        }

        string what = head is null ? "GRU outputs at every step" : labels ? "probabilities" : "head outputs";
        return new OutputDeviation(calibration.Count, what, max, count == 0 ? 0 : sum / count, labels ? agreeing : null);
    }
}
