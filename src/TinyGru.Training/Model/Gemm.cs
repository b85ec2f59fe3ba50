using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyGru.Training.Model;

/// <summary>
/// Single-threaded float32 matrix kernels for the trainer. Every product is written as
/// C = A·Bᵀ over row-major operands (both operands read along their rows), computed in 4×4 register
/// tiles of 256-bit fused multiply-adds with the inner dimension blocked for the caches. Other forms
/// are reduced to this one with a transpose.
/// </summary>
internal static unsafe class Gemm
{
    private const int KBlock = 256;

    /// <summary>C[m×n] (+)= A[m×k] · B[n×k]ᵀ, row strides lda, ldb, ldc.</summary>
    public static void MultiplyTransposed(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        if (!accumulate)
        {
            for (int i = 0; i < m; i++)
            {
                new Span<float>(c + (long)i * ldc, n).Clear();
            }
        }

        if (k == 0 || m == 0 || n == 0)
        {
            return;
        }

        for (int k0 = 0; k0 < k; k0 += KBlock)
        {
            int kc = Math.Min(KBlock, k - k0);
            for (int j = 0; j < n; j += 4)
            {
                int nb = Math.Min(4, n - j);
                float* bj = b + (long)j * ldb + k0;
                for (int i = 0; i < m; i += 4)
                {
                    int mb = Math.Min(4, m - i);
                    float* ai = a + (long)i * lda + k0;
                    float* cij = c + (long)i * ldc + j;
                    if (mb == 4 && nb == 4)
                    {
                        Kernel4x4(ai, lda, bj, ldb, cij, ldc, kc);
                    }
                    else
                    {
                        for (int ii = 0; ii < mb; ii++)
                        {
                            for (int jj = 0; jj < nb; jj++)
                            {
                                cij[(long)ii * ldc + jj] += Dot(ai + (long)ii * lda, bj + (long)jj * ldb, kc);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Managed-array convenience form of <see cref="MultiplyTransposed(float*, int, float*, int, float*, int, int, int, int, bool)"/> with dense strides.</summary>
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate)
    {
        if (a.Length < (long)m * k || b.Length < (long)n * k || c.Length < (long)m * n)
        {
            throw new ArgumentException("operand too small for the given sizes");
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            MultiplyTransposed(pa, k, pb, k, pc, n, m, n, k, accumulate);
        }
    }

    /// <summary>dst[cols×rows] = src[rows×cols]ᵀ (dense strides).</summary>
    public static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        fixed (float* s = src)
        fixed (float* d = dst)
        {
            Transpose(s, cols, rows, cols, d, rows);
        }
    }

    /// <summary>dst[cols×rows] = src[rows×cols]ᵀ with row strides lds and ldd.</summary>
    public static void Transpose(float* src, int lds, int rows, int cols, float* dst, int ldd)
    {
        const int block = 16;
        for (int i0 = 0; i0 < rows; i0 += block)
        {
            int i1 = Math.Min(rows, i0 + block);
            for (int j0 = 0; j0 < cols; j0 += block)
            {
                int j1 = Math.Min(cols, j0 + block);
                for (int i = i0; i < i1; i++)
                {
                    float* row = src + (long)i * lds;
                    for (int j = j0; j < j1; j++)
                    {
                        dst[(long)j * ldd + i] = row[j];
                    }
                }
            }
        }
    }

    /// <summary>Σ a[p]·b[p] for p &lt; k.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int k)
    {
        int p = 0;
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
        for (; p <= k - 16; p += 16)
        {
            acc0 = Mad(Vector256.Load(a + p), Vector256.Load(b + p), acc0);
            acc1 = Mad(Vector256.Load(a + p + 8), Vector256.Load(b + p + 8), acc1);
        }

        for (; p <= k - 8; p += 8)
        {
            acc0 = Mad(Vector256.Load(a + p), Vector256.Load(b + p), acc0);
        }

        float sum = Vector256.Sum(acc0 + acc1);
        for (; p < k; p++)
        {
            sum += a[p] * b[p];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mad(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    private static void Kernel4x4(float* a, int lda, float* b, int ldb, float* c, int ldc, int k)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector256<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector256<float> c30 = default, c31 = default, c32 = default, c33 = default;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        float* b0 = b, b1 = b + ldb, b2 = b + 2 * ldb, b3 = b + 3 * ldb;
        int p = 0;
        for (; p <= k - 8; p += 8)
        {
            Vector256<float> x0 = Vector256.Load(a0 + p), x1 = Vector256.Load(a1 + p);
            Vector256<float> x2 = Vector256.Load(a2 + p), x3 = Vector256.Load(a3 + p);
            Vector256<float> y = Vector256.Load(b0 + p);
            c00 = Mad(x0, y, c00); c10 = Mad(x1, y, c10); c20 = Mad(x2, y, c20); c30 = Mad(x3, y, c30);
            y = Vector256.Load(b1 + p);
            c01 = Mad(x0, y, c01); c11 = Mad(x1, y, c11); c21 = Mad(x2, y, c21); c31 = Mad(x3, y, c31);
            y = Vector256.Load(b2 + p);
            c02 = Mad(x0, y, c02); c12 = Mad(x1, y, c12); c22 = Mad(x2, y, c22); c32 = Mad(x3, y, c32);
            y = Vector256.Load(b3 + p);
            c03 = Mad(x0, y, c03); c13 = Mad(x1, y, c13); c23 = Mad(x2, y, c23); c33 = Mad(x3, y, c33);
        }

        float* c0 = c, c1 = c + ldc, c2 = c + 2 * ldc, c3 = c + 3 * ldc;
        c0[0] += Vector256.Sum(c00); c0[1] += Vector256.Sum(c01); c0[2] += Vector256.Sum(c02); c0[3] += Vector256.Sum(c03);
        c1[0] += Vector256.Sum(c10); c1[1] += Vector256.Sum(c11); c1[2] += Vector256.Sum(c12); c1[3] += Vector256.Sum(c13);
        c2[0] += Vector256.Sum(c20); c2[1] += Vector256.Sum(c21); c2[2] += Vector256.Sum(c22); c2[3] += Vector256.Sum(c23);
        c3[0] += Vector256.Sum(c30); c3[1] += Vector256.Sum(c31); c3[2] += Vector256.Sum(c32); c3[3] += Vector256.Sum(c33);
        for (; p < k; p++)
        {
            float x0 = a0[p], x1 = a1[p], x2 = a2[p], x3 = a3[p];
            float y0 = b0[p], y1 = b1[p], y2 = b2[p], y3 = b3[p];
            c0[0] += x0 * y0; c0[1] += x0 * y1; c0[2] += x0 * y2; c0[3] += x0 * y3;
            c1[0] += x1 * y0; c1[1] += x1 * y1; c1[2] += x1 * y2; c1[3] += x1 * y3;
            c2[0] += x2 * y0; c2[1] += x2 * y1; c2[2] += x2 * y2; c2[3] += x2 * y3;
            c3[0] += x3 * y0; c3[1] += x3 * y1; c3[2] += x3 * y2; c3[3] += x3 * y3;
        }
    }
}
