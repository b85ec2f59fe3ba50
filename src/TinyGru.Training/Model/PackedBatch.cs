using System;
using System.Collections.Generic;

namespace TinyGru.Training.Model;

/// <summary>
/// A batch of token sequences in PyTorch's packed layout: sequences sorted by length (longest first) and
/// stored time-major, so step t holds the first <see cref="BatchSizes"/>[t] sequences as consecutive rows
/// and no row is ever padding. Row of (step t, sequence b) = <see cref="Offsets"/>[t] + b.
/// </summary>
public sealed class PackedBatch
{
    /// <summary>Packs <paramref name="sequences"/> (each non-empty) with their <paramref name="labels"/>.</summary>
    public PackedBatch(IReadOnlyList<int[]> sequences, IReadOnlyList<float> labels)
    {
        if (sequences.Count == 0)
        {
            throw new ArgumentException("a batch needs at least one sequence", nameof(sequences));
        }

        if (labels.Count != sequences.Count)
        {
            throw new ArgumentException($"{labels.Count} labels for {sequences.Count} sequences", nameof(labels));
        }

        int count = sequences.Count;
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
            if (sequences[i].Length == 0)
            {
                throw new ArgumentException($"sequence {i} is empty", nameof(sequences));
            }
        }

        // Stable sort, longest first (ties keep input order) so the layout is a pure function of the input.
        Array.Sort(order, (x, y) => sequences[x].Length != sequences[y].Length ? sequences[y].Length.CompareTo(sequences[x].Length) : x.CompareTo(y));
        Order = order;
        Lengths = new int[count];
        Labels = new float[count];
        for (int b = 0; b < count; b++)
        {
            Lengths[b] = sequences[order[b]].Length;
            Labels[b] = labels[order[b]];
        }

        Steps = Lengths[0];
        BatchSizes = new int[Steps];
        Offsets = new int[Steps + 1];
        for (int t = 0; t < Steps; t++)
        {
            int n = 0;
            while (n < count && Lengths[n] > t)
            {
                n++;
            }

            BatchSizes[t] = n;
            Offsets[t + 1] = Offsets[t] + n;
        }

        Rows = Offsets[Steps];
        Tokens = new int[Rows];
        ReverseRow = new int[Rows];
        for (int b = 0; b < count; b++)
        {
            int[] sequence = sequences[order[b]];
            for (int t = 0; t < sequence.Length; t++)
            {
                Tokens[Offsets[t] + b] = sequence[t];
                ReverseRow[Offsets[t] + b] = Offsets[sequence.Length - 1 - t] + b;
            }
        }
    }

    /// <summary>Sequences in the batch.</summary>
    public int Count => Lengths.Length;

    /// <summary>Packed position b → index of the sequence in the input list.</summary>
    public int[] Order { get; }

    /// <summary>Lengths in packed order (non-increasing).</summary>
    public int[] Lengths { get; }

    /// <summary>Labels in packed order.</summary>
    public float[] Labels { get; }

    /// <summary>The longest length: the number of time steps.</summary>
    public int Steps { get; }

    /// <summary>How many sequences are still running at step t.</summary>
    public int[] BatchSizes { get; }

    /// <summary>First row of step t; <c>Offsets[Steps]</c> = <see cref="Rows"/>.</summary>
    public int[] Offsets { get; }

    /// <summary>Total real tokens: rows of every packed matrix.</summary>
    public int Rows { get; }

    /// <summary>Token id per packed row.</summary>
    public int[] Tokens { get; }

    /// <summary>
    /// Row of (t, b) → row of (length_b − 1 − t, b): the time reversal within each sequence's own length.
    /// Its own inverse. A reverse-direction GRU is a forward GRU over rows permuted by it.
    /// </summary>
    public int[] ReverseRow { get; }

    /// <summary>The row holding sequence b's last real step.</summary>
    public int LastRow(int b) => Offsets[Lengths[b] - 1] + b;
}
