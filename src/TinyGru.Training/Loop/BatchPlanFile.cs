using System;
using System.Collections.Generic;
using System.IO;
using TinyGru.Model.Format;
using TinyGru.Training.Text;

namespace TinyGru.Training.Loop;

/// <summary>
/// One epoch's batches written out for another trainer, so that it can be timed on exactly the batches this
/// trainer uses (<c>tinygru train --write-batches</c>; read by <c>tests/TinyGru.Benchmarks/training-vs-pytorch</c>).
/// Little-endian int32 throughout:
/// <code>
/// magic 0x50424754 ("TGBP") · version 1 · vocabulary size · padding id · batch count
/// per batch: n · lengths[n] · labels[n] (0/1) · the n sequences' token ids, one after another
/// </code>
/// </summary>
public static class BatchPlanFile
{
    /// <summary>"TGBP" read as a little-endian int32.</summary>
    public const int Magic = 0x50424754;

    /// <summary>The layout version this code writes and reads.</summary>
    public const int Version = 1;

    /// <summary>Writes the batches (indices into <paramref name="data"/>) atomically.</summary>
    public static void Write(string path, IReadOnlyList<int[]> batches, EncodedDataset data, int vocabularySize, int paddingId)
    {
        AtomicFile.WriteBytes(path, stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(vocabularySize);
            writer.Write(paddingId);
            writer.Write(batches.Count);
            foreach (int[] batch in batches)
            {
                writer.Write(batch.Length);
                foreach (int i in batch)
                {
                    writer.Write(data.Sequences[i].Length);
                }

                foreach (int i in batch)
                {
                    writer.Write(data.Labels[i] > 0.5f ? 1 : 0);
                }

                foreach (int i in batch)
                {
                    foreach (int token in data.Sequences[i])
                    {
                        writer.Write(token);
                    }
                }
            }
        });
    }

    /// <summary>Reads a plan back: the batches as (sequences, labels), in order.</summary>
    /// <exception cref="InvalidDataException">The file is not a batch plan or is cut short; the message says where.</exception>
    public static List<EncodedDataset> Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int Next(string field)
        {
            try
            {
                return reader.ReadInt32();
            }
            catch (EndOfStreamException)
            {
                throw new InvalidDataException($"{path}: byte {reader.BaseStream.Position}: {field}: the file ends early");
            }
        }

        if (Next("magic") != Magic)
        {
            throw new InvalidDataException($"{path}: byte 0: magic: not a TinyGru batch plan (expected \"TGBP\")");
        }

        int version = Next("version");
        if (version != Version)
        {
            throw new InvalidDataException($"{path}: byte 4: version: {version} is not supported (this build reads {Version})");
        }

        Next("vocabulary size");
        Next("padding id");
        int count = Next("batch count");
        var batches = new List<EncodedDataset>(Math.Max(0, count));
        for (int b = 0; b < count; b++)
        {
            int n = Next($"batch {b}: size");
            var lengths = new int[n];
            var labels = new float[n];
            var sequences = new int[n][];
            for (int i = 0; i < n; i++)
            {
                lengths[i] = Next($"batch {b}: length {i}");
            }

            for (int i = 0; i < n; i++)
            {
                labels[i] = Next($"batch {b}: label {i}");
            }

            for (int i = 0; i < n; i++)
            {
                sequences[i] = new int[lengths[i]];
                for (int t = 0; t < lengths[i]; t++)
                {
                    sequences[i][t] = Next($"batch {b}: sequence {i} token {t}");
                }
            }

            batches.Add(new EncodedDataset(sequences, labels));
        }

        return batches;
    }
}
