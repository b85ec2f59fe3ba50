using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace TinyGru.Training.Model;

/// <summary>
/// The right-hand operand of <see cref="Gemm"/>, packed once into contiguous k-blocks of 16-column panels so
/// that it can be reused for many products (e.g. a weight matrix for every time step of a batch).
/// </summary>
internal sealed class PackedMatrix
{
    internal float[] Data = Array.Empty<float>();

    /// <summary>Columns of the product this operand gives (rows of a "transposed" B).</summary>
    public int N { get; private set; }

    /// <summary>The inner dimension.</summary>
    public int K { get; private set; }

    internal int PaddedN => (N + Gemm.NR - 1) / Gemm.NR * Gemm.NR;

    /// <summary>
    /// Packs B where B(j, p) = kMajor ? b[p·ldb + j] : b[j·ldb + p], for j &lt; n, p &lt; k.
    /// </summary>
    public unsafe void Pack(float* b, int ldb, bool kMajor, int n, int k)
    {
        N = n;
        K = k;
        int padded = PaddedN;
        if (Data.Length < (long)padded * k)
        {
            Data = new float[(long)padded * k];
        }

        fixed (float* data = Data)
        {
            for (int k0 = 0; k0 < k; k0 += Gemm.KC)
            {
                int kc = Math.Min(Gemm.KC, k - k0);
                float* block = data + (long)k0 * padded;
                for (int jb = 0; jb < padded / Gemm.NR; jb++)
                {
                    float* panel = block + (long)jb * kc * Gemm.NR;
                    int j0 = jb * Gemm.NR, width = Math.Min(Gemm.NR, n - j0);
                    if (kMajor)
                    {
                        for (int p = 0; p < kc; p++)
                        {
                            float* src = b + (long)(k0 + p) * ldb + j0;
                            float* dst = panel + (long)p * Gemm.NR;
                            if (width == Gemm.NR)
                            {
                                Vector256.Load(src).Store(dst);
                                Vector256.Load(src + 8).Store(dst + 8);
                                continue;
                            }

                            int col = 0;
                            for (; col < width; col++)
                            {
                                dst[col] = src[col];
                            }

                            for (; col < Gemm.NR; col++)
                            {
                                dst[col] = 0;
                            }
                        }
                    }
                    else
                    {
                        for (int col = 0; col < Gemm.NR; col++)
                        {
                            if (col < width)
                            {
                                float* src = b + (long)(j0 + col) * ldb + k0;
                                for (int p = 0; p < kc; p++)
                                {
                                    panel[(long)p * Gemm.NR + col] = src[p];
                                }
                            }
                            else
                            {
                                for (int p = 0; p < kc; p++)
                                {
                                    panel[(long)p * Gemm.NR + col] = 0;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// <summary>
/// Single-threaded float32 matrix products for the trainer: C (+)= Σ_p A(i, p)·B(j, p) with either operand
/// stored row- or k-major, so that A·Bᵀ (projections), A·B (input gradients) and Aᵀ·B (weight gradients) all
/// run the same packed 8×16 register-tile kernel of 256-bit fused multiply-adds. Operands are packed into
/// contiguous panels (no cache-set conflicts from large row strides), the inner dimension blocked for L1/L2.
/// </summary>
internal static unsafe class Gemm
{
    internal const int MR = 8, NR = 16, KC = 256, MC = 64;

    [ThreadStatic] private static float[]? _packA;
    [ThreadStatic] private static PackedMatrix? _packB;

    /// <summary>C[m×n] (+)= A[m×k] · B[n×k]ᵀ, row strides lda, ldb, ldc.</summary>
    public static void MultiplyTransposed(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate) =>
        Multiply(a, lda, false, b, ldb, false, c, ldc, m, n, k, accumulate);

    /// <summary>Dense-stride form of A·Bᵀ.</summary>
    public static void MultiplyTransposed(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k, bool accumulate)
    {
        Check(a.Length >= (long)m * k && b.Length >= (long)n * k && c.Length >= (long)m * n);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Multiply(pa, k, false, pb, k, false, pc, n, m, n, k, accumulate);
        }
    }

    /// <summary>C[m×n] += A[k×m]ᵀ · B[k×n] (weight-gradient form), row strides lda, ldb, ldc.</summary>
    public static void MultiplyTransposedA(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k) =>
        Multiply(a, lda, true, b, ldb, true, c, ldc, m, n, k, accumulate: true);

    /// <summary>Dense-stride form of C += Aᵀ·B.</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k)
    {
        Check(a.Length >= (long)k * m && b.Length >= (long)k * n && c.Length >= (long)m * n);
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            Multiply(pa, m, true, pb, n, true, pc, n, m, n, k, accumulate: true);
        }
    }

    /// <summary>C[m×n] (+)= A[m×k] · B[k×n], row strides lda, ldb, ldc.</summary>
    public static void MultiplyPlain(float* a, int lda, float* b, int ldb, float* c, int ldc, int m, int n, int k, bool accumulate) =>
        Multiply(a, lda, false, b, ldb, true, c, ldc, m, n, k, accumulate);

    /// <summary>
    /// C[m×n] (+)= Σ_p A(i, p)·B(j, p) with A(i, p) = aKMajor ? a[p·lda + i] : a[i·lda + p] and B likewise.
    /// </summary>
    public static void Multiply(float* a, int lda, bool aKMajor, float* b, int ldb, bool bKMajor, float* c, int ldc, int m, int n, int k, bool accumulate)
    {
        PackedMatrix packed = _packB ??= new PackedMatrix();
        packed.Pack(b, ldb, bKMajor, n, k);
        Multiply(a, lda, aKMajor, packed, c, ldc, m, accumulate);
    }

    /// <summary>C[m×n] (+)= Σ_p A(i, p)·B(j, p) with B packed beforehand (n and k from <paramref name="b"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(float* a, int lda, bool aKMajor, PackedMatrix b, float* c, int ldc, int m, bool accumulate)
    {
        int n = b.N, k = b.K, paddedN = b.PaddedN;
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (int i = 0; i < m; i++)
                {
                    new Span<float>(c + (long)i * ldc, n).Clear();
                }
            }

            return;
        }

        float[] packA = _packA ??= new float[MC * KC];
        fixed (float* bData = b.Data)
        fixed (float* ap = packA)
        {
            // Row chunks outermost: a chunk's C tiles stay in cache across the k-blocks.
            for (int m0 = 0; m0 < m; m0 += MC)
            {
                int mc = Math.Min(MC, m - m0);
                for (int k0 = 0; k0 < k; k0 += KC)
                {
                    int kc = Math.Min(KC, k - k0);
                    bool add = accumulate || k0 > 0;
                    float* bBlock = bData + (long)k0 * paddedN;
                    PackA(a, lda, aKMajor, m0, mc, k0, kc, ap);
                    for (int jb = 0; jb < paddedN / NR; jb++)
                    {
                        float* bPanel = bBlock + (long)jb * kc * NR;
                        int j0 = jb * NR, cols = Math.Min(NR, n - j0);
                        for (int ib = 0; ib < (mc + MR - 1) / MR; ib++)
                        {
                            int i0 = m0 + ib * MR, rows = Math.Min(MR, m - i0);
                            Kernel(ap + (long)ib * kc * MR, bPanel, kc, c + (long)i0 * ldc + j0, ldc, rows, cols, add);
                        }
                    }
                }
            }
        }
    }

    private static void PackA(float* a, int lda, bool kMajor, int m0, int mc, int k0, int kc, float* pack)
    {
        int blocks = (mc + MR - 1) / MR;
        for (int ib = 0; ib < blocks; ib++)
        {
            float* panel = pack + (long)ib * kc * MR;
            if (kMajor && ib * MR + MR <= mc)
            {
                // k-major A: the block's 8 rows are contiguous at every p.
                float* src = a + (long)k0 * lda + m0 + ib * MR;
                for (int p = 0; p < kc; p++)
                {
                    Vector256.Load(src + (long)p * lda).Store(panel + p * MR);
                }

                continue;
            }

            for (int r = 0; r < MR; r++)
            {
                int i = ib * MR + r;
                if (i >= mc)
                {
                    for (int p = 0; p < kc; p++)
                    {
                        panel[p * MR + r] = 0;
                    }

                    continue;
                }

                if (kMajor)
                {
                    float* src = a + (long)k0 * lda + m0 + i;
                    for (int p = 0; p < kc; p++)
                    {
                        panel[p * MR + r] = src[(long)p * lda];
                    }
                }
                else
                {
                    float* src = a + (long)(m0 + i) * lda + k0;
                    for (int p = 0; p < kc; p++)
                    {
                        panel[p * MR + r] = src[p];
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel(float* ap, float* bp, int kc, float* c, int ldc, int rows, int cols, bool add)
    {
        Vector256<float> s00 = default, s01 = default, s10 = default, s11 = default;
        Vector256<float> s20 = default, s21 = default, s30 = default, s31 = default;
        Vector256<float> s40 = default, s41 = default, s50 = default, s51 = default;
        Vector256<float> s60 = default, s61 = default, s70 = default, s71 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> y0 = Vector256.Load(bp), y1 = Vector256.Load(bp + 8);
            Vector256<float> x = Vector256.Create(ap[0]);
            s00 = Mad(x, y0, s00); s01 = Mad(x, y1, s01);
            x = Vector256.Create(ap[1]);
            s10 = Mad(x, y0, s10); s11 = Mad(x, y1, s11);
            x = Vector256.Create(ap[2]);
            s20 = Mad(x, y0, s20); s21 = Mad(x, y1, s21);
            x = Vector256.Create(ap[3]);
            s30 = Mad(x, y0, s30); s31 = Mad(x, y1, s31);
            x = Vector256.Create(ap[4]);
            s40 = Mad(x, y0, s40); s41 = Mad(x, y1, s41);
            x = Vector256.Create(ap[5]);
            s50 = Mad(x, y0, s50); s51 = Mad(x, y1, s51);
            x = Vector256.Create(ap[6]);
            s60 = Mad(x, y0, s60); s61 = Mad(x, y1, s61);
            x = Vector256.Create(ap[7]);
            s70 = Mad(x, y0, s70); s71 = Mad(x, y1, s71);
            ap += MR;
            bp += NR;
        }

        if (rows == MR && cols == NR)
        {
            Put(c, add, s00, s01);
            Put(c + ldc, add, s10, s11);
            Put(c + 2 * ldc, add, s20, s21);
            Put(c + 3 * ldc, add, s30, s31);
            Put(c + 4 * ldc, add, s40, s41);
            Put(c + 5 * ldc, add, s50, s51);
            Put(c + 6 * ldc, add, s60, s61);
            Put(c + 7 * ldc, add, s70, s71);
            return;
        }

        float* tile = stackalloc float[MR * NR];
        s00.Store(tile); s01.Store(tile + 8);
        s10.Store(tile + 16); s11.Store(tile + 24);
        s20.Store(tile + 32); s21.Store(tile + 40);
        s30.Store(tile + 48); s31.Store(tile + 56);
        s40.Store(tile + 64); s41.Store(tile + 72);
        s50.Store(tile + 80); s51.Store(tile + 88);
        s60.Store(tile + 96); s61.Store(tile + 104);
        s70.Store(tile + 112); s71.Store(tile + 120);
        for (int r = 0; r < rows; r++)
        {
            float* cRow = c + (long)r * ldc;
            for (int col = 0; col < cols; col++)
            {
                cRow[col] = add ? cRow[col] + tile[r * NR + col] : tile[r * NR + col];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(float* c, bool add, Vector256<float> low, Vector256<float> high)
    {
        if (add)
        {
            low += Vector256.Load(c);
            high += Vector256.Load(c + 8);
        }

        low.Store(c);
        high.Store(c + 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Mad(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : (a * b) + c;

    /// <summary>dst[cols×rows] = src[rows×cols]ᵀ (dense strides).</summary>
    public static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        Check(src.Length >= (long)rows * cols && dst.Length >= (long)rows * cols);
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < cols; j++)
            {
                dst[j * rows + i] = src[i * cols + j];
            }
        }
    }

    private static void Check(bool ok)
    {
        if (!ok)
        {
            throw new ArgumentException("operand too small for the given sizes");
        }
    }
}
