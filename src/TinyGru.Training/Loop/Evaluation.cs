using System;
using System.Linq;
using TinyGru.Training.Loss;
using TinyGru.Training.Model;
using TinyGru.Training.Text;

namespace TinyGru.Training.Loop;

/// <summary>Counts of a binary classifier's decisions (positive = label 1, decided when the logit ≥ 0).</summary>
/// <param name="TruePositive">Positive, predicted positive.</param>
/// <param name="FalseNegative">Positive, predicted negative.</param>
/// <param name="FalsePositive">Negative, predicted positive.</param>
/// <param name="TrueNegative">Negative, predicted negative.</param>
public sealed record ConfusionMatrix(int TruePositive, int FalseNegative, int FalsePositive, int TrueNegative)
{
    /// <summary>All decisions.</summary>
    public int Total => TruePositive + FalseNegative + FalsePositive + TrueNegative;

    /// <summary>Fraction correct.</summary>
    public double Accuracy => Total == 0 ? 0 : (double)(TruePositive + TrueNegative) / Total;
}

/// <summary>Loss, accuracy and confusion matrix of a model on a data set.</summary>
/// <param name="Loss">Mean BCE-with-logits.</param>
/// <param name="Accuracy">Fraction correct.</param>
/// <param name="Confusion">The decision counts.</param>
public sealed record EvaluationResult(double Loss, double Accuracy, ConfusionMatrix Confusion);

/// <summary>Evaluates weights on a data set: forward passes only, length-sorted chunks, all shards.</summary>
public static class Evaluation
{
    /// <summary>Runs every example of <paramref name="data"/> (no dropout).</summary>
    public static EvaluationResult Evaluate(ShardedBatchRunner runner, ParameterSet weights, EncodedDataset data, int chunk = 256)
    {
        int[] order = Enumerable.Range(0, data.Count).OrderBy(i => data.Sequences[i].Length).ThenBy(i => i).ToArray();
        double loss = 0;
        int tp = 0, fn = 0, fp = 0, tn = 0;
        for (int start = 0; start < order.Length; start += chunk)
        {
            int[] indices = order.AsSpan(start, Math.Min(chunk, order.Length - start)).ToArray();
            float[] logits = runner.Logits(weights, indices.Select(i => data.Sequences[i]).ToArray());
            for (int k = 0; k < indices.Length; k++)
            {
                float label = data.Labels[indices[k]];
                loss += BceWithLogits.Loss(logits[k], label);
                bool predicted = logits[k] >= 0, actual = label >= 0.5f;
                if (actual)
                {
                    if (predicted) { tp++; } else { fn++; }
                }
                else
                {
                    if (predicted) { fp++; } else { tn++; }
                }
            }
        }

        var confusion = new ConfusionMatrix(tp, fn, fp, tn);
        return new EvaluationResult(data.Count == 0 ? 0 : loss / data.Count, confusion.Accuracy, confusion);
    }
}
