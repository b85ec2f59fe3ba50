using System;
using System.Collections.Generic;
using TinyGru.Training.Model;

namespace TinyGru.Training.Optim;

/// <summary>
/// Stochastic gradient descent as <c>torch.optim.SGD</c> (no dampening, no Nesterov, no weight decay):
/// with momentum μ &gt; 0, b = μ·b + g (b = g on the first step) and p −= lr·b; without, p −= lr·g.
/// </summary>
public sealed class Sgd : IOptimizer
{
    private readonly ParameterSet _momentumBuffer;

    /// <summary>Creates the optimizer for weights shaped like <paramref name="layout"/>.</summary>
    public Sgd(ParameterSet layout, double learningRate, double momentum = 0)
    {
        if (momentum < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), "momentum must be ≥ 0");
        }

        LearningRate = learningRate;
        Momentum = momentum;
        _momentumBuffer = layout.ZerosLike();
    }

    /// <summary>lr.</summary>
    public double LearningRate { get; set; }

    /// <summary>μ.</summary>
    public double Momentum { get; }

    /// <inheritdoc/>
    public long Steps { get; private set; }

    /// <inheritdoc/>
    public IReadOnlyList<ParameterSet> State => Momentum > 0 ? new[] { _momentumBuffer } : Array.Empty<ParameterSet>();

    /// <inheritdoc/>
    public void Restore(long steps) => Steps = steps;

    /// <inheritdoc/>
    public void Step(ParameterSet weights, ParameterSet gradients)
    {
        Steps++;
        float lr = (float)LearningRate, mu = (float)Momentum;
        for (int i = 0; i < weights.Tensors.Count; i++)
        {
            float[] p = weights.Tensors[i].Values, g = gradients.Tensors[i].Values, b = _momentumBuffer.Tensors[i].Values;
            for (int k = 0; k < p.Length; k++)
            {
                float update = g[k];
                if (mu > 0)
                {
                    b[k] = Steps == 1 ? g[k] : mu * b[k] + g[k];
                    update = b[k];
                }

                p[k] -= lr * update;
            }
        }
    }
}
