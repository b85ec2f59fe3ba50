using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;
using TinyGru.Training.Model;

namespace TinyGru.Training.Optim;

/// <summary>
/// Adam exactly as PyTorch 1.13 computes it (no weight decay, no AMSGrad):
/// m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; p −= (lr/(1−β1^t)) · m / (√v/√(1−β2^t) + ε).
/// Dense over every tensor, like <c>torch.optim.Adam</c> on dense gradients.
/// </summary>
public sealed class Adam : IOptimizer
{
    private readonly ParameterSet _m;
    private readonly ParameterSet _v;

    /// <summary>Creates the optimizer with zero moments for weights shaped like <paramref name="layout"/>.</summary>
    public Adam(ParameterSet layout, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _m = layout.ZerosLike();
        _v = layout.ZerosLike();
    }

    /// <summary>lr.</summary>
    public double LearningRate { get; set; }

    /// <summary>β1.</summary>
    public double Beta1 { get; }

    /// <summary>β2.</summary>
    public double Beta2 { get; }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc/>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<ParameterSet> State => new[] { _m, _v };

    /// <inheritdoc/>
    public void Restore(long steps) => Steps = steps;

    /// <inheritdoc/>
    public void Step(ParameterSet weights, ParameterSet gradients)
    {
        Steps++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(Beta2, Steps);
        float stepSize = (float)(LearningRate / biasCorrection1);
        float correction2Sqrt = (float)Math.Sqrt(biasCorrection2);
        float b1 = (float)Beta1, b2 = (float)Beta2, eps = (float)Epsilon;
        float oneMinusB1 = (float)(1 - Beta1), oneMinusB2 = (float)(1 - Beta2);
        for (int i = 0; i < weights.Tensors.Count; i++)
        {
            float[] p = weights.Tensors[i].Values, g = gradients.Tensors[i].Values;
            float[] m = _m.Tensors[i].Values, v = _v.Tensors[i].Values;
            int k = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // Same operations element by element (sqrt and division are correctly rounded), 8 at a time.
                Vector256<float> vb1 = Vector256.Create(b1), vb2 = Vector256.Create(b2), v1b1 = Vector256.Create(oneMinusB1), v1b2 = Vector256.Create(oneMinusB2);
                Vector256<float> vc2 = Vector256.Create(correction2Sqrt), veps = Vector256.Create(eps), vstep = Vector256.Create(stepSize);
                for (; k <= p.Length - 8; k += 8)
                {
                    Vector256<float> gk = Vector256.Create(g, k);
                    Vector256<float> mk = Vector256.Create(m, k) * vb1 + gk * v1b1;
                    Vector256<float> vk = Vector256.Create(v, k) * vb2 + gk * gk * v1b2;
                    Vector256<float> denominator = Vector256.Sqrt(vk) / vc2 + veps;
                    Vector256<float> pk = Vector256.Create(p, k) - vstep * (mk / denominator);
                    mk.CopyTo(m, k);
                    vk.CopyTo(v, k);
                    pk.CopyTo(p, k);
                }
            }

            for (; k < p.Length; k++)
            {
                float gk = g[k];
                m[k] = m[k] * b1 + gk * oneMinusB1;
                v[k] = v[k] * b2 + gk * gk * oneMinusB2;
                float denominator = MathF.Sqrt(v[k]) / correction2Sqrt + eps;
                p[k] -= stepSize * (m[k] / denominator);
            }
        }
    }
}
