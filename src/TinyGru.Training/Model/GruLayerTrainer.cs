using System;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using TinyGru.Model.Architecture;

namespace TinyGru.Training.Model;

/// <summary>
/// One GRU layer in one direction, trained over a <see cref="PackedBatch"/>: the forward pass keeps the
/// gate activations it needs, and the backward pass runs back-propagation through time over the packed
/// rows only (no work on padding). Input projections and weight gradients are single batched GEMMs over all
/// rows ([rows × I]·[I × 3H]); each time step does one recurrent GEMM over the sequences still running
/// ([n_t × H]·[H × 3H]). A reverse direction is this class run over time-reversed rows (see <see cref="PackedBatch.ReverseRow"/>).
/// Not thread-safe: each batch shard owns its instances.
/// </summary>
public sealed unsafe class GruLayerTrainer
{
    private readonly int _inputSize;
    private readonly int _hidden;
    private readonly GruConvention _convention;

    private PackedBatch? _batch;
    private float[] _input = Array.Empty<float>();  // [rows × I], the caller's array, kept for the weight gradient
    private float[] _gates = Array.Empty<float>();  // [rows × 3H]: r, z, n (PyTorch) or r, z, h~ (Cho), after activation
    private float[] _aux = Array.Empty<float>();    // [rows × H]: W_hn h + b_hn (PyTorch) or r ⊙ h_prev (Cho)
    private float[] _output = Array.Empty<float>(); // [rows × H]
    private float[] _gh = Array.Empty<float>();     // [batch × 3H] scratch
    private float[] _dGates = Array.Empty<float>(), _dGh = Array.Empty<float>(), _dInput = Array.Empty<float>();
    private float[] _carry = Array.Empty<float>(), _nextCarry = Array.Empty<float>(), _dRh = Array.Empty<float>();
    private float[] _prev = Array.Empty<float>();
    private readonly PackedMatrix _packHh = new(), _packHhN = new(), _packBack = new(), _packBackN = new();

    /// <summary>Creates a trainer for a layer reading <paramref name="inputSize"/> features with <paramref name="hiddenSize"/> units.</summary>
    public GruLayerTrainer(int inputSize, int hiddenSize, GruConvention convention)
    {
        _inputSize = inputSize;
        _hidden = hiddenSize;
        _convention = convention;
    }

    /// <summary>The outputs [rows × H] of the last <see cref="Forward"/>, in this direction's row order.</summary>
    public float[] Output => _output;

    /// <summary>
    /// Runs the layer over <paramref name="input"/> ([rows × I] in packed row order of this direction, kept by
    /// reference until <see cref="Backward"/>) from a zero initial state; returns the outputs [rows × H].
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public float[] Forward(PackedBatch batch, float[] input, float[] weightIh, float[] weightHh, float[] biasIh, float[] biasHh)
    {
        int h = _hidden, h3 = 3 * h, rows = batch.Rows;
        _batch = batch;
        _input = input;
        Ensure(ref _gates, (long)rows * h3);
        Ensure(ref _aux, (long)rows * h);
        Ensure(ref _output, (long)rows * h);
        Ensure(ref _gh, (long)batch.Count * h3);

        Gemm.MultiplyTransposed(input, weightIh, _gates, rows, h3, _inputSize, accumulate: false);
        for (int row = 0; row < rows; row++)
        {
            TensorPrimitives.Add(_gates.AsSpan(row * h3, h3), biasIh, _gates.AsSpan(row * h3, h3));
        }

        fixed (float* gates = _gates)
        fixed (float* aux = _aux)
        fixed (float* output = _output)
        fixed (float* gh = _gh)
        fixed (float* whh = weightHh)
        {
            if (_convention == GruConvention.PyTorch)
            {
                _packHh.Pack(whh, h, false, h3, h);
            }
            else
            {
                _packHh.Pack(whh, h, false, 2 * h, h);
                _packHhN.Pack(whh + (long)2 * h * h, h, false, h, h);
            }

            for (int t = 0; t < batch.Steps; t++)
            {
                int n = batch.BatchSizes[t], offset = batch.Offsets[t];
                float* previous = t == 0 ? null : output + (long)batch.Offsets[t - 1] * h;
                if (_convention == GruConvention.PyTorch)
                {
                    StepPyTorch(n, offset, previous, gates, aux, output, gh, whh, biasHh);
                }
                else
                {
                    StepCho(n, offset, previous, gates, aux, output, gh, whh, biasHh);
                }
            }
        }

        return _output;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void StepPyTorch(int n, int offset, float* previous, float* gates, float* aux, float* output, float* gh, float* whh, float[] biasHh)
    {
        int h = _hidden, h3 = 3 * h;
        if (previous is null)
        {
            for (int b = 0; b < n; b++)
            {
                biasHh.AsSpan().CopyTo(new Span<float>(gh + (long)b * h3, h3));
            }
        }
        else
        {
            Gemm.Multiply(previous, h, false, _packHh, gh, h3, n, accumulate: false);
            for (int b = 0; b < n; b++)
            {
                var row = new Span<float>(gh + (long)b * h3, h3);
                TensorPrimitives.Add(row, biasHh, row);
            }
        }

        for (int b = 0; b < n; b++)
        {
            long rowIndex = offset + b;
            var g = new Span<float>(gates + rowIndex * h3, h3);
            var ghRow = new Span<float>(gh + (long)b * h3, h3);
            Span<float> rz = g[..(2 * h)], r = g[..h], z = g.Slice(h, h), cand = g.Slice(2 * h, h);
            TensorPrimitives.Add(rz, ghRow[..(2 * h)], rz);
            TensorPrimitives.Sigmoid(rz, rz);
            Span<float> ghn = ghRow.Slice(2 * h, h);
            ghn.CopyTo(new Span<float>(aux + rowIndex * h, h));
            TensorPrimitives.MultiplyAdd(r, ghn, cand, cand);
            TensorPrimitives.Tanh(cand, cand);
            var outRow = new Span<float>(output + rowIndex * h, h);
            if (previous is null)
            {
                // h' = (1 − z) ⊙ n
                for (int j = 0; j < h; j++)
                {
                    outRow[j] = (1 - z[j]) * cand[j];
                }
            }
            else
            {
                // h' = n + z ⊙ (h − n)
                var prev = new ReadOnlySpan<float>(previous + (long)b * h, h);
                TensorPrimitives.Subtract(prev, cand, outRow);
                TensorPrimitives.MultiplyAdd(z, outRow, cand, outRow);
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void StepCho(int n, int offset, float* previous, float* gates, float* aux, float* output, float* gh, float* whh, float[] biasHh)
    {
        int h = _hidden, h3 = 3 * h;
        ReadOnlySpan<float> biasRz = biasHh.AsSpan(0, 2 * h), biasN = biasHh.AsSpan(2 * h, h);
        if (previous is null)
        {
            for (int b = 0; b < n; b++)
            {
                biasHh.AsSpan().CopyTo(new Span<float>(gh + (long)b * h3, h3));
            }
        }
        else
        {
            Gemm.Multiply(previous, h, false, _packHh, gh, h3, n, accumulate: false);
        }

        for (int b = 0; b < n; b++)
        {
            long rowIndex = offset + b;
            var g = new Span<float>(gates + rowIndex * h3, h3);
            var ghRow = new Span<float>(gh + (long)b * h3, h3);
            Span<float> rz = g[..(2 * h)];
            if (previous is not null)
            {
                TensorPrimitives.Add(ghRow[..(2 * h)], biasRz, ghRow[..(2 * h)]);
            }

            TensorPrimitives.Add(rz, ghRow[..(2 * h)], rz);
            TensorPrimitives.Sigmoid(rz, rz);
            var rh = new Span<float>(aux + rowIndex * h, h);
            if (previous is null)
            {
                rh.Clear();
            }
            else
            {
                TensorPrimitives.Multiply(g[..h], new ReadOnlySpan<float>(previous + (long)b * h, h), rh);
            }
        }

        // U_h (r ⊙ h) for every running sequence at once, then the candidate and the update.
        if (previous is null)
        {
            for (int b = 0; b < n; b++)
            {
                biasN.CopyTo(new Span<float>(gh + (long)b * h3 + 2 * h, h));
            }
        }
        else
        {
            Gemm.Multiply(aux + (long)offset * h, h, false, _packHhN, gh + 2 * h, h3, n, accumulate: false);
            for (int b = 0; b < n; b++)
            {
                var ghn = new Span<float>(gh + (long)b * h3 + 2 * h, h);
                TensorPrimitives.Add(ghn, biasN, ghn);
            }
        }

        for (int b = 0; b < n; b++)
        {
            long rowIndex = offset + b;
            var g = new Span<float>(gates + rowIndex * h3, h3);
            Span<float> z = g.Slice(h, h), cand = g.Slice(2 * h, h);
            TensorPrimitives.Add(cand, new ReadOnlySpan<float>(gh + (long)b * h3 + 2 * h, h), cand);
            TensorPrimitives.Tanh(cand, cand);
            var outRow = new Span<float>(output + rowIndex * h, h);
            if (previous is null)
            {
                TensorPrimitives.Multiply(z, cand, outRow); // h' = z ⊙ h~
            }
            else
            {
                // h' = h + z ⊙ (h~ − h)
                var prev = new ReadOnlySpan<float>(previous + (long)b * h, h);
                TensorPrimitives.Subtract(cand, prev, outRow);
                TensorPrimitives.MultiplyAdd(z, outRow, prev, outRow);
            }
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> ([rows × H], dLoss/d output per row) through the last
    /// <see cref="Forward"/>, adding the weight gradients into the given arrays; returns dLoss/d input
    /// [rows × I] when <paramref name="inputGradient"/> is asked for, else null.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public float[]? Backward(float[] outputGradient, float[] weightIh, float[] weightHh,
        float[] gradWeightIh, float[] gradWeightHh, float[] gradBiasIh, float[] gradBiasHh, bool inputGradient)
    {
        PackedBatch batch = _batch ?? throw new InvalidOperationException("Backward needs a Forward first");
        bool pyTorch = _convention == GruConvention.PyTorch;
        int h = _hidden, h3 = 3 * h, rows = batch.Rows, count = batch.Count;
        Ensure(ref _dGates, (long)rows * h3);
        Ensure(ref _dGh, (long)rows * h3);
        Ensure(ref _carry, (long)count * h);
        Ensure(ref _nextCarry, (long)count * h);
        Ensure(ref _dRh, (long)count * h);
        fixed (float* whh = weightHh)
        {
            if (_convention == GruConvention.PyTorch)
            {
                _packBack.Pack(whh, h, true, h, h3);             // dh_prev += dGh · W_hh
            }
            else
            {
                _packBack.Pack(whh, h, true, h, 2 * h);          // dh_prev += dGh[r, z] · W_hh[r, z]
                _packBackN.Pack(whh + (long)2 * h * h, h, true, h, h); // d(r ⊙ h) = dGh[n] · U_h
            }
        }


        fixed (float* gates = _gates)
        fixed (float* aux = _aux)
        fixed (float* output = _output)
        fixed (float* dOut = outputGradient)
        fixed (float* dG = _dGates)
        fixed (float* dGh = _dGh)
        {
            for (int t = batch.Steps - 1; t >= 0; t--)
            {
                int n = batch.BatchSizes[t], offset = batch.Offsets[t];
                int carried = t + 1 < batch.Steps ? batch.BatchSizes[t + 1] : 0;
                float* previous = t == 0 ? null : output + (long)batch.Offsets[t - 1] * h;
                fixed (float* carry = _carry)
                fixed (float* next = _nextCarry)
                fixed (float* dRh = _dRh)
                {
                    for (int b = 0; b < n; b++)
                    {
                        long row = offset + b;
                        float* gRow = gates + row * h3, dgRow = dG + row * h3, dghRow = dGh + row * h3;
                        float* dOutRow = dOut + row * h, auxRow = aux + row * h, nextRow = next + (long)b * h;
                        float* carryRow = b < carried ? carry + (long)b * h : null;
                        float* prevRow = previous is null ? null : previous + (long)b * h;
                        if (pyTorch)
                        {
                            int j = 0;
                            if (carryRow is not null && prevRow is not null)
                            {
                                // The common case, 8 units at a time (same operations as the scalar loop below).
                                Vector256<float> one = Vector256<float>.One;
                                for (; j <= h - 8; j += 8)
                                {
                                    Vector256<float> dh = Vector256.Load(dOutRow + j) + Vector256.Load(carryRow + j);
                                    Vector256<float> r = Vector256.Load(gRow + j), z = Vector256.Load(gRow + h + j), c = Vector256.Load(gRow + 2 * h + j);
                                    Vector256<float> hp = Vector256.Load(prevRow + j);
                                    Vector256<float> daN = dh * (one - z) * (one - c * c);
                                    Vector256<float> daZ = dh * (hp - c) * z * (one - z);
                                    Vector256<float> daR = daN * Vector256.Load(auxRow + j) * r * (one - r);
                                    daR.Store(dgRow + j); daZ.Store(dgRow + h + j); daN.Store(dgRow + 2 * h + j);
                                    daR.Store(dghRow + j); daZ.Store(dghRow + h + j); (daN * r).Store(dghRow + 2 * h + j);
                                    (dh * z).Store(nextRow + j);
                                }
                            }

                            for (; j < h; j++)
                            {
                                float dh = dOutRow[j] + (carryRow is null ? 0f : carryRow[j]);
                                float r = gRow[j], z = gRow[h + j], c = gRow[2 * h + j];
                                float hp = prevRow is null ? 0f : prevRow[j];
                                float daN = dh * (1 - z) * (1 - c * c);
                                float daZ = dh * (hp - c) * z * (1 - z);
                                float daR = daN * auxRow[j] * r * (1 - r);
                                dgRow[j] = daR; dgRow[h + j] = daZ; dgRow[2 * h + j] = daN;
                                dghRow[j] = daR; dghRow[h + j] = daZ; dghRow[2 * h + j] = daN * r;
                                nextRow[j] = dh * z;
                            }
                        }
                        else
                        {
                            for (int j = 0; j < h; j++)
                            {
                                float dh = dOutRow[j] + (carryRow is null ? 0f : carryRow[j]);
                                float z = gRow[h + j], c = gRow[2 * h + j];
                                float hp = prevRow is null ? 0f : prevRow[j];
                                float daC = dh * z * (1 - c * c);
                                float daZ = dh * (c - hp) * z * (1 - z);
                                dgRow[h + j] = daZ; dgRow[2 * h + j] = daC;
                                dghRow[h + j] = daZ; dghRow[2 * h + j] = daC;
                                dgRow[j] = 0; dghRow[j] = 0; // reset gate: filled below once d(r ⊙ h) is known
                                nextRow[j] = dh * (1 - z);
                            }
                        }
                    }

                    if (previous is not null)
                    {
                        if (_convention == GruConvention.PyTorch)
                        {
                            // dh_prev += dGh · W_hh
                            Gemm.Multiply(dGh + (long)offset * h3, h3, false, _packBack, next, h, n, accumulate: true);
                        }
                        else
                        {
                            // d(r ⊙ h) = dGh_n · U_h, then the reset gate, then dh_prev += dGh_rz · W_hh[r, z]
                            Gemm.Multiply(dGh + (long)offset * h3 + 2 * h, h3, false, _packBackN, dRh, h, n, accumulate: false);
                            for (int b = 0; b < n; b++)
                            {
                                long row = offset + b;
                                float* gRow = gates + row * h3, dgRow = dG + row * h3, dghRow = dGh + row * h3;
                                float* dRhRow = dRh + (long)b * h, nextRow = next + (long)b * h, prevRow = previous + (long)b * h;
                                for (int j = 0; j < h; j++)
                                {
                                    float r = gRow[j];
                                    float daR = dRhRow[j] * prevRow[j] * r * (1 - r);
                                    dgRow[j] = daR;
                                    dghRow[j] = daR;
                                    nextRow[j] += dRhRow[j] * r;
                                }
                            }

                            Gemm.Multiply(dGh + (long)offset * h3, h3, false, _packBack, next, h, n, accumulate: true);
                        }
                    }
                }

                (_carry, _nextCarry) = (_nextCarry, _carry);
            }
        }

        // Bias gradients: column sums.
        for (int row = 0; row < rows; row++)
        {
            TensorPrimitives.Add(gradBiasIh, _dGates.AsSpan(row * h3, h3), gradBiasIh);
            TensorPrimitives.Add(gradBiasHh, _dGh.AsSpan(row * h3, h3), gradBiasHh);
        }

        // Weight gradients as single GEMMs over all rows: dW_ih += dGᵀ·X, dW_hh += dGhᵀ·H_prev (Cho: n rows use r ⊙ h_prev).
        Ensure(ref _prev, (long)rows * h);
        Array.Clear(_prev, 0, batch.BatchSizes[0] * h);
        for (int t = 1; t < batch.Steps; t++)
        {
            Array.Copy(_output, (long)batch.Offsets[t - 1] * h, _prev, (long)batch.Offsets[t] * h, (long)batch.BatchSizes[t] * h);
        }

        fixed (float* dG = _dGates)
        fixed (float* dGh = _dGh)
        fixed (float* x = _input)
        fixed (float* prev = _prev)
        fixed (float* aux = _aux)
        fixed (float* dWih = gradWeightIh)
        fixed (float* dWhh = gradWeightHh)
        {
            Gemm.MultiplyTransposedA(dG, h3, x, _inputSize, dWih, _inputSize, h3, _inputSize, rows);
            if (_convention == GruConvention.PyTorch)
            {
                Gemm.MultiplyTransposedA(dGh, h3, prev, h, dWhh, h, h3, h, rows);
            }
            else
            {
                Gemm.MultiplyTransposedA(dGh, h3, prev, h, dWhh, h, 2 * h, h, rows);
                Gemm.MultiplyTransposedA(dGh + 2 * h, h3, aux, h, dWhh + (long)2 * h * h, h, h, h, rows);
            }
        }

        if (!inputGradient)
        {
            return null;
        }

        // dX = dG · W_ih
        Ensure(ref _dInput, (long)rows * _inputSize);
        fixed (float* dG = _dGates)
        fixed (float* wih = weightIh)
        fixed (float* dX = _dInput)
        {
            Gemm.MultiplyPlain(dG, h3, wih, _inputSize, dX, _inputSize, rows, _inputSize, h3, accumulate: false);
        }

        return _dInput;
    }

    internal static void Ensure(ref float[] buffer, long size)
    {
        if (buffer.Length < size)
        {
            buffer = new float[Math.Max(size, buffer.Length + buffer.Length / 2)];
        }
    }
}
