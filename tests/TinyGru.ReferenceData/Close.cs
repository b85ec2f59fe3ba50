using Xunit;

namespace TinyGru.ReferenceData;

/// <summary>Element-wise comparisons with the golden vectors whose failure message says where the first difference beyond tolerance is.</summary>
public static class Close
{
    /// <summary>|expected − actual| ≤ <paramref name="tolerance"/> everywhere.</summary>
    public static void Equal(float[] expected, float[] actual, double tolerance, string where) => Equal(expected, actual, tolerance, 0, where);

    /// <summary>|expected − actual| ≤ atol + rtol·|expected| everywhere.</summary>
    public static void Equal(float[] expected, float[] actual, double atol, double rtol, string where)
    {
        Assert.True(expected.Length == actual.Length, $"{where}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double difference = Math.Abs((double)expected[i] - actual[i]);
            double tolerance = atol + rtol * Math.Abs(expected[i]);
            if (!(difference <= tolerance))
            {
                Assert.Fail($"{where}[{i}]: got {actual[i]:R}, expected {expected[i]:R}, |diff| {difference:E2} > {tolerance:E2}");
            }
        }
    }

    /// <summary>|expected − actual| ≤ atol + rtol·|expected|.</summary>
    public static void Equal(double expected, double actual, double atol, double rtol, string where)
    {
        double difference = Math.Abs(expected - actual);
        Assert.True(difference <= atol + rtol * Math.Abs(expected), $"{where}: got {actual:R}, expected {expected:R}, |diff| {difference:E2}");
    }
}
