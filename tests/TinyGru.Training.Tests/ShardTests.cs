using System.Linq;
using TinyGru.Model.Architecture;
using TinyGru.Training.Loop;
using TinyGru.Training.Model;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>Sharding a batch over threads changes only the summation order: same loss, gradients and logits as one pass.</summary>
public sealed class ShardTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Sharded_batches_match_a_single_pass(int shards)
    {
        var architecture = new NetworkArchitecture(new EmbeddingSpec(30, 6, 1), new GruStackSpec(6, 9, 2, true, GruConvention.PyTorch), new HeadSpec(1, OutputActivation.Sigmoid));
        ParameterSet weights = ParameterSet.Initialize(architecture, 4);
        var random = new System.Random(8);
        int[][] sequences = Enumerable.Range(0, 7).Select(_ => Enumerable.Range(0, 1 + random.Next(12)).Select(_ => 2 + random.Next(28)).ToArray()).ToArray();
        float[] labels = Enumerable.Range(0, 7).Select(i => (float)(i % 2)).ToArray();

        ParameterSet single = weights.ZerosLike();
        BatchResult reference = new NetworkTrainer(architecture).Run(weights, sequences, labels, single, 1.0 / 7);
        ParameterSet sharded = weights.ZerosLike();
        var runner = new ShardedBatchRunner(architecture, shards);
        (double loss, int correct) = runner.Train(weights, sharded, sequences, labels, null);

        Assert.Equal(reference.LossSum, loss, 5);
        Assert.Equal(reference.Correct, correct);
        foreach (ParameterTensor tensor in single.Tensors)
        {
            Close.Equal(tensor.Values, sharded[tensor.Name], 1e-6, 1e-5, tensor.Name);
        }

        Assert.Equal(reference.Logits, runner.Logits(weights, sequences));
    }
}
