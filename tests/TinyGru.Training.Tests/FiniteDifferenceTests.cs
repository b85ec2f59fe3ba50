using System;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Reference;
using TinyGru.Training.Loss;
using TinyGru.Training.Model;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>
/// Back-propagation checked against central finite differences of an independent forward pass (the
/// reference engine, float64 arithmetic) on tiny models in both conventions, stacked and bidirectional.
/// Cho2014 has no PyTorch golden gradients, so this is its gradient oracle.
/// </summary>
public sealed class FiniteDifferenceTests
{
    public static TheoryData<string, int, bool, int, int> Configurations => new()
    {
        { GruConventionNames.PyTorch, 1, false, 7, 5 },
        { GruConventionNames.Cho2014, 1, false, 7, 5 },
        { GruConventionNames.PyTorch, 2, false, 9, 6 },
        { GruConventionNames.Cho2014, 2, false, 9, 6 },
        { GruConventionNames.PyTorch, 1, true, 6, 5 },
        { GruConventionNames.Cho2014, 1, true, 6, 5 },
        { GruConventionNames.PyTorch, 2, true, 20, 12 },
        { GruConventionNames.Cho2014, 2, true, 20, 12 },
    };

    private static readonly int[][] Sequences =
    {
        new[] { 3, 7, 2, 9, 4, 4, 11, 5, 0, 8 },
        new[] { 12, 2 },
        new[] { 6, 13, 3, 3, 10, 2, 7 },
        new[] { 9 },
        new[] { 5, 1, 0, 12, 4, 6 },
    };

    private static readonly float[] Labels = { 1, 0, 0, 1, 1 };

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Backward_matches_finite_differences(string convention, int layers, bool bidirectional, int embedding, int hidden)
    {
        GruConventionNames.TryParse(convention, out GruConvention conv);
        var architecture = new NetworkArchitecture(
            new EmbeddingSpec(14, embedding, PaddingIndex: 1),
            new GruStackSpec(embedding, hidden, layers, bidirectional, conv),
            new HeadSpec(1, OutputActivation.Sigmoid));
        ParameterSet weights = ParameterSet.Initialize(architecture, seed: 7 + layers);
        foreach (ParameterTensor tensor in weights.Tensors.Where(t => t.Name != TensorNames.EmbeddingWeight))
        {
            for (int i = 0; i < tensor.Values.Length; i++)
            {
                tensor.Values[i] *= 2.5f; // livelier gates: larger, more varied gradients
            }
        }

        ParameterSet gradients = weights.ZerosLike();
        BatchResult result = new NetworkTrainer(architecture).Run(weights, Sequences, Labels, gradients, 1.0 / Labels.Length);
        Close.Equal(Loss(weights), result.LossSum / Labels.Length, 1e-5, 1e-5, "loss against the reference engine");

        const float step = 1e-3f;
        int checkedEntries = 0;
        double largest = 0;
        foreach (ParameterTensor tensor in weights.Tensors)
        {
            float[] analytic = gradients[tensor.Name];
            for (int i = 0; i < tensor.Values.Length; i++)
            {
                if (tensor.Name == TensorNames.EmbeddingWeight && i / embedding == 1)
                {
                    // nn.Embedding(padding_idx=1): the padding row gets no gradient even where the id occurs.
                    Assert.Equal(0f, analytic[i]);
                    checkedEntries++;
                    continue;
                }

                float saved = tensor.Values[i];
                tensor.Values[i] = saved + step;
                double plus = Loss(weights);
                tensor.Values[i] = saved - step;
                double minus = Loss(weights);
                tensor.Values[i] = saved;
                double numeric = (plus - minus) / ((double)(saved + step) - (saved - step));
                double difference = Math.Abs(numeric - analytic[i]);
                Assert.True(difference <= 3e-5 + 2e-3 * Math.Abs(numeric),
                    $"{tensor.Name}[{i}]: backward {analytic[i]:R}, finite difference {numeric:R} (|diff| {difference:E2})");
                largest = Math.Max(largest, Math.Abs(numeric));
                checkedEntries++;
            }
        }

        Assert.True(largest > 1e-2, $"gradients too small to test anything (largest {largest:E2})");
        Assert.True(checkedEntries == weights.Count);
    }

    /// <summary>Mean BCE over the batch, with logits from the reference engine (float64 sums).</summary>
    private static double Loss(ParameterSet weights)
    {
        GruModel model = weights.ToModel(null, Provenance.From("finite differences"));
        var engine = new ReferenceEngine(model);
        double sum = 0;
        for (int b = 0; b < Sequences.Length; b++)
        {
            sum += BceWithLogits.Loss(engine.Predict(Sequences[b]).Logits[0], Labels[b]);
        }

        return sum / Sequences.Length;
    }
}
