using System;

namespace TinyGru.Training.Loss;

/// <summary>Binary cross-entropy on logits (PyTorch's <c>BCEWithLogitsLoss</c>), in the numerically stable form.</summary>
public static class BceWithLogits
{
    /// <summary>The loss of one example: max(x, 0) − x·y + log(1 + e^−|x|).</summary>
    public static double Loss(double logit, double label) =>
        Math.Max(logit, 0) - logit * label + Math.Log(1 + Math.Exp(-Math.Abs(logit)));

    /// <summary>dLoss/dlogit of one example: σ(x) − y.</summary>
    public static double Gradient(double logit, double label) => Sigmoid(logit) - label;

    /// <summary>The mean loss over a batch (reduction = 'mean').</summary>
    public static double Mean(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += Loss(logits[i], labels[i]);
        }

        return sum / logits.Length;
    }

    /// <summary>The logistic function.</summary>
    public static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
}
