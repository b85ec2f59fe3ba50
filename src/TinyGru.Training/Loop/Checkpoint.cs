using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;
using TinyGru.Model.Format;
using TinyGru.Training.Model;

namespace TinyGru.Training.Loop;

/// <summary>One finished epoch's figures.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (as trained, with dropout).</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch's batches.</param>
/// <param name="ValidLoss">Validation loss after the epoch.</param>
/// <param name="ValidAccuracy">Validation accuracy after the epoch.</param>
/// <param name="Seconds">Wall-clock seconds of the epoch's training batches (this process only, after a resume).</param>
/// <param name="Tokens">Training tokens processed in the epoch.</param>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double TrainAccuracy, double ValidLoss, double ValidAccuracy, double Seconds, long Tokens);

/// <summary>Everything needed to continue a run exactly where it stopped.</summary>
public sealed class CheckpointState
{
    /// <summary>A description of the configuration and data; a resume refuses a different one.</summary>
    public string Fingerprint { get; set; } = "";

    /// <summary>0-based epoch in progress.</summary>
    public int Epoch { get; set; }

    /// <summary>Index of the next batch of that epoch.</summary>
    public int NextBatch { get; set; }

    /// <summary>Optimizer steps taken.</summary>
    public long OptimizerSteps { get; set; }

    /// <summary>Σ loss of the epoch's batches so far.</summary>
    public double EpochLossSum { get; set; }

    /// <summary>Correct predictions of the epoch's batches so far.</summary>
    public long EpochCorrect { get; set; }

    /// <summary>Examples of the epoch's batches so far.</summary>
    public long EpochSeen { get; set; }

    /// <summary>Tokens of the epoch's batches so far.</summary>
    public long EpochTokens { get; set; }

    /// <summary>Seconds spent on the epoch's batches so far.</summary>
    public double EpochSeconds { get; set; }

    /// <summary>Lowest validation loss so far (∞ before the first epoch ends).</summary>
    public double BestValidLoss { get; set; } = double.PositiveInfinity;

    /// <summary>1-based epoch of <see cref="BestValidLoss"/>, 0 when none.</summary>
    public int BestEpoch { get; set; }

    /// <summary>Epochs since the validation loss last improved.</summary>
    public int EpochsWithoutImprovement { get; set; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool Stopped { get; set; }

    /// <summary>Finished epochs.</summary>
    public List<EpochMetrics> History { get; } = new();
}

/// <summary>
/// Checkpoint files: a small text header, then every weight and optimizer tensor as base64 float32, written
/// atomically (temporary file + rename) so that a crash at any moment leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    private const string Magic = "tinygru-checkpoint 1";

    /// <summary>Writes <paramref name="state"/>, <paramref name="weights"/> and <paramref name="optimizerState"/> to <paramref name="path"/>.</summary>
    public static void Save(string path, CheckpointState state, ParameterSet weights, IReadOnlyList<ParameterSet> optimizerState)
    {
        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine(Magic);
            w.WriteLine("fingerprint " + state.Fingerprint);
            w.WriteLine(Line("epoch", state.Epoch));
            w.WriteLine(Line("next_batch", state.NextBatch));
            w.WriteLine(Line("optimizer_steps", state.OptimizerSteps));
            w.WriteLine(Line("epoch_loss_sum", state.EpochLossSum));
            w.WriteLine(Line("epoch_correct", state.EpochCorrect));
            w.WriteLine(Line("epoch_seen", state.EpochSeen));
            w.WriteLine(Line("epoch_tokens", state.EpochTokens));
            w.WriteLine(Line("epoch_seconds", state.EpochSeconds));
            w.WriteLine(Line("best_valid_loss", state.BestValidLoss));
            w.WriteLine(Line("best_epoch", state.BestEpoch));
            w.WriteLine(Line("epochs_without_improvement", state.EpochsWithoutImprovement));
            w.WriteLine(Line("stopped", state.Stopped ? 1 : 0));
            foreach (EpochMetrics m in state.History)
            {
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"history {m.Epoch} {m.TrainLoss:R} {m.TrainAccuracy:R} {m.ValidLoss:R} {m.ValidAccuracy:R} {m.Seconds:R} {m.Tokens}"));
            }

            WriteSet(w, "weights", weights);
            for (int i = 0; i < optimizerState.Count; i++)
            {
                WriteSet(w, "optimizer" + i.ToString(CultureInfo.InvariantCulture), optimizerState[i]);
            }

            w.WriteLine("end");
        });
    }

    /// <summary>
    /// Reads a checkpoint into <paramref name="weights"/> and <paramref name="optimizerState"/> (same layouts as saved).
    /// </summary>
    /// <exception cref="InvalidDataException">The file is not a complete checkpoint of this layout.</exception>
    public static CheckpointState Load(string path, ParameterSet weights, IReadOnlyList<ParameterSet> optimizerState)
    {
        var state = new CheckpointState();
        var sets = new Dictionary<string, ParameterSet>(StringComparer.Ordinal) { ["weights"] = weights };
        for (int i = 0; i < optimizerState.Count; i++)
        {
            sets["optimizer" + i.ToString(CultureInfo.InvariantCulture)] = optimizerState[i];
        }

        var filled = new HashSet<string>(StringComparer.Ordinal);
        int lineNumber = 0;
        bool ended = false;
        using var reader = new StreamReader(path);
        string? line = reader.ReadLine();
        lineNumber++;
        if (line != Magic)
        {
            throw new InvalidDataException($"{path}:1: not a TinyGru checkpoint");
        }

        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string where = $"{path}:{lineNumber}";
            int space = line.IndexOf(' ');
            string key = space < 0 ? line : line[..space];
            string value = space < 0 ? "" : line[(space + 1)..];
            switch (key)
            {
                case "fingerprint": state.Fingerprint = value; break;
                case "epoch": state.Epoch = (int)L(value, where); break;
                case "next_batch": state.NextBatch = (int)L(value, where); break;
                case "optimizer_steps": state.OptimizerSteps = L(value, where); break;
                case "epoch_loss_sum": state.EpochLossSum = D(value, where); break;
                case "epoch_correct": state.EpochCorrect = L(value, where); break;
                case "epoch_seen": state.EpochSeen = L(value, where); break;
                case "epoch_tokens": state.EpochTokens = L(value, where); break;
                case "epoch_seconds": state.EpochSeconds = D(value, where); break;
                case "best_valid_loss": state.BestValidLoss = D(value, where); break;
                case "best_epoch": state.BestEpoch = (int)L(value, where); break;
                case "epochs_without_improvement": state.EpochsWithoutImprovement = (int)L(value, where); break;
                case "stopped": state.Stopped = L(value, where) != 0; break;
                case "history":
                {
                    string[] f = value.Split(' ');
                    if (f.Length != 7)
                    {
                        throw new InvalidDataException($"{where}: history needs 7 fields");
                    }

                    state.History.Add(new EpochMetrics((int)L(f[0], where), D(f[1], where), D(f[2], where), D(f[3], where), D(f[4], where), D(f[5], where), L(f[6], where)));
                    break;
                }

                case "tensor":
                {
                    // tensor <set> <name> <count> <base64>
                    string[] f = value.Split(' ');
                    if (f.Length != 4 || !sets.TryGetValue(f[0], out ParameterSet? set) || !set.Contains(f[1]))
                    {
                        throw new InvalidDataException($"{where}: unexpected tensor line (does the checkpoint belong to another architecture?)");
                    }

                    float[] target = set[f[1]];
                    byte[] bytes = Convert.FromBase64String(f[3]);
                    if (L(f[2], where) != target.Length || bytes.Length != target.Length * 4)
                    {
                        throw new InvalidDataException($"{where}: tensor {f[0]}/{f[1]} has {f[2]} values, expected {target.Length}");
                    }

                    MemoryMarshal.Cast<byte, float>(bytes).CopyTo(target);
                    filled.Add(f[0] + "/" + f[1]);
                    break;
                }

                case "end": ended = true; break;
                default: throw new InvalidDataException($"{where}: unknown key '{key}'");
            }
        }

        int expected = 0;
        foreach (ParameterSet set in sets.Values)
        {
            expected += set.Tensors.Count;
        }

        if (!ended || filled.Count != expected)
        {
            throw new InvalidDataException($"{path}: incomplete checkpoint ({filled.Count} of {expected} tensors)");
        }

        return state;
    }

    private static void WriteSet(TextWriter w, string setName, ParameterSet set)
    {
        foreach (ParameterTensor tensor in set.Tensors)
        {
            w.Write("tensor ");
            w.Write(setName);
            w.Write(' ');
            w.Write(tensor.Name);
            w.Write(' ');
            w.Write(tensor.Values.Length.ToString(CultureInfo.InvariantCulture));
            w.Write(' ');
            w.WriteLine(Convert.ToBase64String(MemoryMarshal.AsBytes(tensor.Values.AsSpan())));
        }
    }

    private static string Line(string key, long value) => key + " " + value.ToString(CultureInfo.InvariantCulture);

    private static string Line(string key, double value) => key + " " + value.ToString("R", CultureInfo.InvariantCulture);

    private static long L(string s, string where) =>
        long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : throw new InvalidDataException($"{where}: '{s}' is not an integer");

    private static double D(string s, string where) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new InvalidDataException($"{where}: '{s}' is not a number");
}
