using System;
using System.Collections.Generic;
using TinyGru.Training.Data;

namespace TinyGru.Training.Loop;

/// <summary>
/// Length-bucketed batches: a seeded shuffle, then within pools of <c>pool</c> batches the examples are
/// sorted by length and cut into batches, and the batch order is shuffled. Batches hold sequences of similar
/// length (little imbalance between shards and steps) yet every epoch differs. Deterministic for (seed, epoch).
/// </summary>
public static class LengthBucketBatcher
{
    /// <summary>The batches of one epoch, as indices into <paramref name="lengths"/>.</summary>
    public static List<int[]> Batches(IReadOnlyList<int> lengths, int batchSize, int pool, int seed, int epoch)
    {
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), "must be ≥ 1");
        }

        var random = new Random(Seeds.Mix(seed, 0x5EED, epoch));
        int[] order = DataSplit.Permutation(lengths.Count, random);
        int poolSize = batchSize * Math.Max(1, pool);
        var batches = new List<int[]>();
        for (int start = 0; start < order.Length; start += poolSize)
        {
            int count = Math.Min(poolSize, order.Length - start);
            int[] chunk = order.AsSpan(start, count).ToArray();
            Array.Sort(chunk, (a, b) => lengths[a] != lengths[b] ? lengths[a].CompareTo(lengths[b]) : a.CompareTo(b));
            for (int b = 0; b < count; b += batchSize)
            {
                batches.Add(chunk.AsSpan(b, Math.Min(batchSize, count - b)).ToArray());
            }
        }

        int[] batchOrder = DataSplit.Permutation(batches.Count, random);
        var shuffled = new List<int[]>(batches.Count);
        foreach (int i in batchOrder)
        {
            shuffled.Add(batches[i]);
        }

        return shuffled;
    }
}

/// <summary>Derives independent seeds from the run's seed.</summary>
public static class Seeds
{
    /// <summary>A well-mixed 31-bit seed from the parts (SplitMix64 over them).</summary>
    public static int Mix(params long[] parts)
    {
        ulong x = 0x9E3779B97F4A7C15UL;
        foreach (long part in parts)
        {
            x ^= (ulong)part;
            x += 0x9E3779B97F4A7C15UL;
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            x ^= x >> 31;
        }

        return (int)(x & 0x7FFFFFFF);
    }
}
