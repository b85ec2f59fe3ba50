using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using TinyGru.Model.Architecture;
using TinyGru.Training.Model;

namespace TinyGru.Training.Loop;

/// <summary>
/// Runs a batch on all cores: the batch is dealt into shards (sequence i to shard i mod shards, so that
/// length-sorted batches give every shard about the same number of tokens), each shard's forward and backward
/// pass runs on its own thread with its own buffers and gradient set, and the shard gradients are summed in
/// shard order. The result depends on the shard count, never on thread timing.
/// </summary>
public sealed class ShardedBatchRunner
{
    private readonly NetworkTrainer[] _trainers;
    private readonly ParameterSet?[] _shardGradients;

    /// <summary>Creates <paramref name="shards"/> workers for <paramref name="architecture"/>.</summary>
    public ShardedBatchRunner(NetworkArchitecture architecture, int shards)
    {
        if (shards < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shards), "at least one shard");
        }

        _trainers = Enumerable.Range(0, shards).Select(_ => new NetworkTrainer(architecture)).ToArray();
        _shardGradients = new ParameterSet?[shards];
    }

    /// <summary>Shards per batch.</summary>
    public int Shards => _trainers.Length;

    /// <summary>
    /// Forward and backward over the batch: <paramref name="gradients"/> is overwritten with d(mean loss)/d weights.
    /// Returns the summed loss and the number of correct predictions.
    /// </summary>
    public (double LossSum, int Correct) Train(ParameterSet weights, ParameterSet gradients,
        IReadOnlyList<int[]> sequences, IReadOnlyList<float> labels, IReadOnlyList<float[]>? dropoutMasks)
    {
        int count = sequences.Count;
        double scale = 1.0 / count;
        var results = new BatchResult?[Shards];
        gradients.Clear();
        Parallel.For(0, Shards, new ParallelOptions { MaxDegreeOfParallelism = Shards }, s =>
        {
            int[] mine = Members(s, count);
            if (mine.Length == 0)
            {
                return;
            }

            ParameterSet target;
            if (s == 0)
            {
                target = gradients;
            }
            else
            {
                target = _shardGradients[s] ??= gradients.ZerosLike();
                target.Clear();
            }

            results[s] = _trainers[s].Run(weights, Pick(sequences, mine), Pick(labels, mine), target, scale,
                dropoutMasks is null ? null : Pick(dropoutMasks, mine));
        });

        double loss = 0;
        int correct = 0;
        for (int s = 0; s < Shards; s++)
        {
            if (results[s] is not BatchResult r)
            {
                continue;
            }

            loss += r.LossSum;
            correct += r.Correct;
            if (s > 0)
            {
                ParameterSet shard = _shardGradients[s]!;
                for (int i = 0; i < gradients.Tensors.Count; i++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(gradients.Tensors[i].Values, shard.Tensors[i].Values, gradients.Tensors[i].Values);
                }
            }
        }

        return (loss, correct);
    }

    /// <summary>Forward pass only: the logits of every sequence, in input order.</summary>
    public float[] Logits(ParameterSet weights, IReadOnlyList<int[]> sequences)
    {
        int count = sequences.Count;
        var logits = new float[count];
        var zeros = new float[count];
        Parallel.For(0, Shards, new ParallelOptions { MaxDegreeOfParallelism = Shards }, s =>
        {
            int[] mine = Members(s, count);
            if (mine.Length > 0)
            {
                BatchResult r = _trainers[s].Run(weights, Pick(sequences, mine), Pick(zeros, mine), null);
                for (int i = 0; i < mine.Length; i++)
                {
                    logits[mine[i]] = r.Logits[i];
                }
            }
        });
        return logits;
    }

    private int[] Members(int shard, int count)
    {
        var members = new int[Math.Max(0, (count - shard + Shards - 1) / Shards)];
        for (int i = 0; i < members.Length; i++)
        {
            members[i] = shard + i * Shards;
        }

        return members;
    }

    private static T[] Pick<T>(IReadOnlyList<T> list, int[] indices)
    {
        var result = new T[indices.Length];
        for (int i = 0; i < indices.Length; i++)
        {
            result[i] = list[indices[i]];
        }

        return result;
    }
}
