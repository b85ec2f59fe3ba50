using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;

namespace TinyGru.Training.Model;

/// <summary>One named, row-major float tensor of a network being trained (weights, or their gradients, or optimizer moments).</summary>
/// <param name="Name">The tensor's model-file name (see <see cref="TensorNames"/>).</param>
/// <param name="Shape">Its dimensions.</param>
/// <param name="Values">Its values, modified in place by training.</param>
public sealed record ParameterTensor(string Name, int[] Shape, float[] Values);

/// <summary>
/// Every tensor of a network, in model-file order, as mutable arrays: the weights being trained, and —
/// with the same layout — their gradients and the optimizer's state.
/// </summary>
public sealed class ParameterSet
{
    private readonly Dictionary<string, ParameterTensor> _byName;

    private ParameterSet(NetworkArchitecture architecture, IReadOnlyList<ParameterTensor> tensors)
    {
        Architecture = architecture;
        Tensors = tensors;
        _byName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The network's shape.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>Every tensor in model-file order.</summary>
    public IReadOnlyList<ParameterTensor> Tensors { get; }

    /// <summary>The values of the tensor called <paramref name="name"/>.</summary>
    public float[] this[string name] =>
        _byName.TryGetValue(name, out ParameterTensor? tensor) ? tensor.Values : throw new KeyNotFoundException($"no tensor '{name}'");

    /// <summary>Whether a tensor of that name exists.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Total number of values.</summary>
    public long Count => Tensors.Sum(t => (long)t.Values.Length);

    /// <summary>All-zero tensors for <paramref name="architecture"/>.</summary>
    public static ParameterSet Zeros(NetworkArchitecture architecture) =>
        new(architecture, architecture.TensorSlots().Select(s => new ParameterTensor(s.Name, s.Shape, new float[Tensor.ElementCountOf(s.Shape)])).ToArray());

    /// <summary>Zeros with this set's layout.</summary>
    public ParameterSet ZerosLike() => Zeros(Architecture);

    /// <summary>A deep copy.</summary>
    public ParameterSet Clone() =>
        new(Architecture, Tensors.Select(t => new ParameterTensor(t.Name, t.Shape, (float[])t.Values.Clone())).ToArray());

    /// <summary>Copies every value of <paramref name="other"/> (same layout) into this set.</summary>
    public void CopyFrom(ParameterSet other)
    {
        for (int i = 0; i < Tensors.Count; i++)
        {
            other.Tensors[i].Values.AsSpan().CopyTo(Tensors[i].Values);
        }
    }

    /// <summary>Sets every value to zero.</summary>
    public void Clear()
    {
        foreach (ParameterTensor tensor in Tensors)
        {
            Array.Clear(tensor.Values);
        }
    }

    /// <summary>
    /// PyTorch's default initialisation: embedding N(0, 1) with the padding row zero; GRU weights and biases
    /// U(−1/√H, 1/√H); head weight and bias U(−1/√fan_in, 1/√fan_in). Deterministic for a seed.
    /// </summary>
    public static ParameterSet Initialize(NetworkArchitecture architecture, int seed)
    {
        ParameterSet set = Zeros(architecture);
        var random = new Random(seed);
        float gruBound = 1f / MathF.Sqrt(architecture.Gru.HiddenSize);
        float headBound = 1f / MathF.Sqrt(architecture.HeadInputSize);
        foreach (ParameterTensor tensor in set.Tensors)
        {
            float[] v = tensor.Values;
            if (tensor.Name == TensorNames.EmbeddingWeight)
            {
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = Gaussian.Next(random);
                }

                int? padding = architecture.Embedding!.PaddingIndex;
                if (padding is int p)
                {
                    Array.Clear(v, p * architecture.Embedding.Dimension, architecture.Embedding.Dimension);
                }
            }
            else
            {
                float bound = tensor.Name.StartsWith(TensorNames.GruPrefix, StringComparison.Ordinal) ? gruBound : headBound;
                for (int i = 0; i < v.Length; i++)
                {
                    v[i] = (float)((random.NextDouble() * 2 - 1) * bound);
                }
            }
        }

        return set;
    }

    /// <summary>The weights of <paramref name="model"/>, copied.</summary>
    public static ParameterSet FromModel(GruModel model)
    {
        ParameterSet set = Zeros(model.Architecture);
        foreach (ParameterTensor tensor in set.Tensors)
        {
            model[tensor.Name].Values.AsSpan().CopyTo(tensor.Values);
        }

        return set;
    }

    /// <summary>A validated model holding a copy of these weights.</summary>
    public GruModel ToModel(TextSpec? text, Provenance provenance) =>
        new(Architecture, Tensors.Select(t => new Tensor(t.Name, t.Shape, (float[])t.Values.Clone())).ToArray(), text, provenance);
}

/// <summary>Standard normal samples from a seeded <see cref="Random"/> (Box–Muller).</summary>
public static class Gaussian
{
    /// <summary>One N(0, 1) sample.</summary>
    public static float Next(Random random)
    {
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return (float)(Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2));
    }
}
