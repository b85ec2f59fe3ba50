using System;
using System.Collections.Generic;

namespace TinyGru.Training.Data;

/// <summary>Seeded splits and shuffles.</summary>
public static class DataSplit
{
    /// <summary>
    /// Splits <paramref name="examples"/> into a training and a validation part: a seeded shuffle, then the
    /// first round(fraction·count) go to validation. The same seed always gives the same split.
    /// </summary>
    public static (List<T> Train, List<T> Valid) Split<T>(IReadOnlyList<T> examples, double validFraction, int seed)
    {
        if (validFraction < 0 || validFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(validFraction), "the validation fraction must be in [0, 1)");
        }

        int[] order = Permutation(examples.Count, new Random(seed));
        int validCount = (int)Math.Round(validFraction * examples.Count);
        var train = new List<T>(examples.Count - validCount);
        var valid = new List<T>(validCount);
        for (int i = 0; i < order.Length; i++)
        {
            (i < validCount ? valid : train).Add(examples[order[i]]);
        }

        return (train, valid);
    }

    /// <summary>A Fisher–Yates permutation of 0..count−1.</summary>
    public static int[] Permutation(int count, Random random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }
}
