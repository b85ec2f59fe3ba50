using System;
using TinyGru.Training.Model;

namespace TinyGru.Training.Optim;

/// <summary>PyTorch's <c>clip_grad_norm_</c>: one L2 norm over every gradient, scaled down when above a limit.</summary>
public static class GradientClipping
{
    /// <summary>The global L2 norm of all gradients.</summary>
    public static double Norm(ParameterSet gradients)
    {
        double sum = 0;
        foreach (ParameterTensor tensor in gradients.Tensors)
        {
            double tensorSum = 0;
            foreach (float g in tensor.Values)
            {
                tensorSum += (double)g * g;
            }

            sum += tensorSum;
        }

        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Scales every gradient by max_norm/(norm + 1e-6) when that is below 1; returns the norm before clipping.
    /// </summary>
    public static double ClipByGlobalNorm(ParameterSet gradients, double maxNorm)
    {
        double norm = Norm(gradients);
        double coefficient = maxNorm / (norm + 1e-6);
        if (coefficient < 1)
        {
            float scale = (float)coefficient;
            foreach (ParameterTensor tensor in gradients.Tensors)
            {
                System.Numerics.Tensors.TensorPrimitives.Multiply(tensor.Values, scale, tensor.Values);
            }
        }

        return norm;
    }
}
