using System;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>Element-wise comparison with a message that says where the first difference beyond tolerance is.</summary>
internal static class Close
{
    public static void Equal(float[] expected, float[] actual, double tolerance, string where)
    {
        Assert.True(expected.Length == actual.Length, $"{where}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            if (!(difference <= tolerance))
            {
                Assert.Fail($"{where}[{i}]: got {actual[i]:R}, PyTorch {expected[i]:R}, |diff| {difference:E2} > {tolerance:E0}");
            }
        }
    }
}
