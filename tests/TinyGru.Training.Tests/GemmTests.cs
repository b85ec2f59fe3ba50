using System;
using TinyGru.Training.Model;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>The packed GEMM in its three forms against a float64 triple loop, on sizes that hit every edge of the 4×16 tiles and k-blocks.</summary>
public sealed class GemmTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 17, 5)]
    [InlineData(4, 16, 8)]
    [InlineData(33, 100, 300)]
    [InlineData(70, 48, 257)]
    [InlineData(130, 31, 513)]
    public unsafe void All_forms_match_a_float64_reference(int m, int n, int k)
    {
        var random = new Random(m * 1000 + n * 10 + k);
        float[] a = Fill(random, m * k), b = Fill(random, n * k), c0 = Fill(random, m * n);

        // A·Bᵀ (A [m×k], B [n×k]), overwrite and accumulate.
        var c = (float[])c0.Clone();
        Gemm.MultiplyTransposed(a, b, c, m, n, k, accumulate: true);
        Check(c, (i, j) => c0[i * n + j] + Sum(k, p => (double)a[i * k + p] * b[j * k + p]), k);
        Gemm.MultiplyTransposed(a, b, c, m, n, k, accumulate: false);
        Check(c, (i, j) => Sum(k, p => (double)a[i * k + p] * b[j * k + p]), k);

        // Aᵀ·B (A [k×m], B [k×n]) accumulates.
        c = (float[])c0.Clone();
        Gemm.MultiplyTransposedA(a, b, c, m, n, k);
        Check(c, (i, j) => c0[i * n + j] + Sum(k, p => (double)a[p * m + i] * b[p * n + j]), k);

        // A·B (A [m×k], B [k×n]).
        c = (float[])c0.Clone();
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Gemm.MultiplyPlain(pa, k, pb, n, pc, n, m, n, k, accumulate: false);
        }

        Check(c, (i, j) => Sum(k, p => (double)a[i * k + p] * b[p * n + j]), k);

        void Check(float[] actual, Func<int, int, double> expected, int depth)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double e = expected(i, j);
                    Assert.True(Math.Abs(e - actual[i * n + j]) <= 1e-5 * Math.Sqrt(depth) * 4, $"C[{i},{j}] = {actual[i * n + j]}, expected {e} (m={m}, n={n}, k={k})");
                }
            }
        }
    }

    private static double Sum(int count, Func<int, double> term)
    {
        double s = 0;
        for (int p = 0; p < count; p++)
        {
            s += term(p);
        }

        return s;
    }

    private static float[] Fill(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return values;
    }
}
