using TinyGru.Model;
using TinyGru.Reference;

namespace TinyGru.Benchmarks;

/// <summary>
/// Before anything is timed, every contender must reproduce the reference engine (itself proven equal to
/// PyTorch) on the benchmark's own weights: a fast wrong answer is not a result.
/// </summary>
public static class ContenderCheck
{
    /// <summary>Tolerance against the reference engine (README of shared/reference: 1e-5 for float32).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>The reference engine's states after each of <paramref name="steps"/> steps over <paramref name="inputs"/>.</summary>
    public static float[][] ReferenceStates(GruModel model, float[] inputs, int steps)
    {
        int i = model.Architecture.Gru.InputSize;
        float[][] sequence = Enumerable.Range(0, steps).Select(t => inputs.AsSpan(t * i, i).ToArray()).ToArray();
        return new ReferenceEngine(model).RunGru(sequence, steps).Outputs;
    }

    /// <summary>Throws unless <paramref name="actual"/> is within <see cref="Tolerance"/> of <paramref name="expected"/>.</summary>
    public static void Require(string contender, string config, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        for (int j = 0; j < expected.Length; j++)
        {
            double difference = Math.Abs(expected[j] - actual[j]);
            if (!(difference <= Tolerance))
            {
                throw new InvalidOperationException(
                    $"{contender} on {config}: unit {j} is {actual[j]}, the reference engine says {expected[j]} (|diff| {difference:E2}); not benchmarking a wrong result");
            }
        }
    }
}
