using System.Linq;
using TinyGru.Model.Architecture;
using TinyGru.Training.Model;
using TinyGru.Training.Optim;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>SGD (torch.optim.SGD rules) and dropout on the head's input.</summary>
public sealed class OptimizerAndDropoutTests
{
    private static readonly NetworkArchitecture Tiny = new(
        new EmbeddingSpec(10, 4, 1), new GruStackSpec(4, 3, 1, false, GruConvention.PyTorch), new HeadSpec(1, OutputActivation.Sigmoid));

    private static readonly int[][] Sequences = { new[] { 2, 3, 4 }, new[] { 5, 6 } };
    private static readonly float[] Labels = { 1, 0 };

    [Fact]
    public void Sgd_without_momentum_steps_against_the_gradient()
    {
        ParameterSet w = ParameterSet.Initialize(Tiny, 1), before = w.Clone(), g = Filled(w, 0.5f);
        new Sgd(w, learningRate: 0.1).Step(w, g);
        Assert.All(Enumerable.Range(0, w.Tensors.Count), i =>
            Assert.Equal(before.Tensors[i].Values.Select(v => v - 0.1f * 0.5f), w.Tensors[i].Values));
    }

    [Fact]
    public void Sgd_with_momentum_keeps_a_velocity_buffer_started_at_the_first_gradient()
    {
        ParameterSet w = ParameterSet.Initialize(Tiny, 1), before = w.Clone();
        var sgd = new Sgd(w, learningRate: 0.1, momentum: 0.9);
        sgd.Step(w, Filled(w, 1f));   // b = 1
        sgd.Step(w, Filled(w, 2f));   // b = 0.9·1 + 2 = 2.9
        float[] p0 = before.Tensors[0].Values, p = w.Tensors[0].Values;
        for (int k = 0; k < p.Length; k++)
        {
            Assert.Equal(p0[k] - 0.1f * 1f - 0.1f * 2.9f, p[k], 5);
        }
    }

    [Fact]
    public void Dropout_masks_scale_the_head_input_and_block_gradients_of_dropped_units()
    {
        ParameterSet w = ParameterSet.Initialize(Tiny, 3);
        var trainer = new NetworkTrainer(Tiny);
        float[] plain = trainer.Run(w, Sequences, Labels, null).Logits;

        float[][] ones = Sequences.Select(_ => new[] { 1f, 1f, 1f }).ToArray();
        Assert.Equal(plain, trainer.Run(w, Sequences, Labels, null, 1, ones).Logits);

        float[][] dropAll = Sequences.Select(_ => new float[3]).ToArray();
        ParameterSet g = w.ZerosLike();
        float[] logits = trainer.Run(w, Sequences, Labels, g, 0.5, dropAll).Logits;
        float bias = w[TensorNames.HeadBias][0];
        Assert.All(logits, l => Assert.Equal(bias, l));
        Assert.All(g.Tensors.Where(t => t.Name != TensorNames.HeadBias), t => Assert.All(t.Values, v => Assert.Equal(0f, v)));

        // Keep unit 0 only, scaled by 1/(1 − p) = 2: the logit moves by 2·w0·h0 from the bias.
        float[][] keepFirst = Sequences.Select(_ => new[] { 2f, 0f, 0f }).ToArray();
        float[] halfLogits = trainer.Run(w, Sequences, Labels, null, 1, keepFirst).Logits;
        float[] noHead = trainer.Run(w, Sequences, Labels, null, 1, dropAll).Logits;
        float[] unitOnly = trainer.Run(w, Sequences, Labels, null, 1, Sequences.Select(_ => new[] { 1f, 0f, 0f }).ToArray()).Logits;
        for (int b = 0; b < Sequences.Length; b++)
        {
            Assert.Equal(2 * (unitOnly[b] - noHead[b]), halfLogits[b] - noHead[b], 5);
        }
    }

    private static ParameterSet Filled(ParameterSet layout, float value)
    {
        ParameterSet g = layout.ZerosLike();
        foreach (ParameterTensor t in g.Tensors)
        {
            System.Array.Fill(t.Values, value);
        }

        return g;
    }
}
