using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using TinyGru.Import;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.ReferenceData;
using TinyGru.Training.Model;

namespace TinyGru.Training.Tests;

/// <summary>A <c>training/*.json</c> golden case: a batch, initial weights, PyTorch's loss, gradients and Adam steps.</summary>
internal sealed class TrainingCase
{
    public required string Name { get; init; }
    public required int PaddingIndex { get; init; }
    public required int[] Lengths { get; init; }
    public required int[][] Tokens { get; init; }
    public required float[] Labels { get; init; }
    public required Dictionary<string, StateDictTensor> ParamsInitial { get; init; }
    public required Dictionary<string, StateDictTensor> Grads { get; init; }
    public required Dictionary<string, StateDictTensor> ParamsAfter1 { get; init; }
    public required Dictionary<string, StateDictTensor> ParamsAfter3 { get; init; }
    public Dictionary<string, StateDictTensor>? GradsClipped1 { get; init; }
    public double? ClipMaxNorm { get; init; }
    public double[]? GradNormsPreclip { get; init; }
    public required double Loss { get; init; }
    public required double[] LossesPerStep { get; init; }
    public required double LearningRate { get; init; }
    public required double Beta1 { get; init; }
    public required double Beta2 { get; init; }
    public required double Epsilon { get; init; }
    public required bool Bidirectional { get; init; }
    public required int Layers { get; init; }

    public static TrainingCase Load(string relativePath)
    {
        return ReferenceJson.Load(relativePath, root => Read(relativePath, root));
    }

    private static TrainingCase Read(string relativePath, JsonElement root)
    {
        JsonElement optimizer = root.GetProperty("optimizer");
        JsonElement betas = optimizer.GetProperty("betas");
        return new TrainingCase
        {
            Name = Path.GetFileNameWithoutExtension(relativePath),
            PaddingIndex = root.GetProperty("padding_idx").GetInt32(),
            Lengths = ReferenceJson.Ints(root.GetProperty("lengths")),
            Tokens = root.GetProperty("tokens").EnumerateArray().Select(ReferenceJson.Ints).ToArray(),
            Labels = ReferenceJson.Floats(root.GetProperty("labels")),
            ParamsInitial = StateDictJson.FromJson(root.GetProperty("params_initial"), relativePath),
            Grads = StateDictJson.FromJson(root.GetProperty("grads"), relativePath),
            ParamsAfter1 = StateDictJson.FromJson(root.GetProperty("params_after_step_1"), relativePath),
            ParamsAfter3 = StateDictJson.FromJson(root.GetProperty("params_after_step_3"), relativePath),
            GradsClipped1 = root.TryGetProperty("grads_clipped_step1", out JsonElement clipped) ? StateDictJson.FromJson(clipped, relativePath) : null,
            ClipMaxNorm = root.TryGetProperty("grad_clip_max_norm", out JsonElement clip) && clip.ValueKind == JsonValueKind.Number ? clip.GetDouble() : null,
            GradNormsPreclip = root.TryGetProperty("grad_norms_preclip_per_step", out JsonElement norms)
                ? norms.EnumerateArray().Select(e => e.GetDouble()).ToArray() : null,
            Loss = root.GetProperty("loss_value").GetDouble(),
            LossesPerStep = root.GetProperty("losses_per_step").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            LearningRate = optimizer.GetProperty("lr").GetDouble(),
            Beta1 = betas[0].GetDouble(),
            Beta2 = betas[1].GetDouble(),
            Epsilon = optimizer.GetProperty("eps").GetDouble(),
            Bidirectional = root.GetProperty("bidirectional").GetBoolean(),
            Layers = root.GetProperty("num_layers").GetInt32(),
        };
    }

    /// <summary>The initial network, through the PyTorch importer.</summary>
    public GruModel InitialModel() => PyTorchImporter.Import(ParamsInitial, new PyTorchImportOptions
    {
        PaddingIndex = PaddingIndex,
        Provenance = Provenance.From("training test", Name),
    });

    /// <summary>The real tokens of every sequence.</summary>
    public int[][] Sequences => Tokens.Select((row, b) => row[..Lengths[b]]).ToArray();

    /// <summary>A state_dict of the case in TinyGru tensor names (rnn.* → gru.*, fc.* → head.*).</summary>
    public static Dictionary<string, float[]> ByTinyGruName(Dictionary<string, StateDictTensor> stateDict) =>
        stateDict.ToDictionary(kv => TinyGruName(kv.Key), kv => kv.Value.Values);

    public static string TinyGruName(string pyTorchName) =>
        pyTorchName.StartsWith("rnn.", StringComparison.Ordinal) ? TensorNames.GruPrefix + pyTorchName["rnn.".Length..]
        : pyTorchName.StartsWith("fc.", StringComparison.Ordinal) ? "head." + pyTorchName["fc.".Length..]
        : pyTorchName;

    /// <summary>A parameter set (layout of <paramref name="layout"/>) holding the given state_dict.</summary>
    public static ParameterSet ToSet(ParameterSet layout, Dictionary<string, StateDictTensor> stateDict)
    {
        ParameterSet set = layout.ZerosLike();
        Dictionary<string, float[]> byName = ByTinyGruName(stateDict);
        foreach (ParameterTensor tensor in set.Tensors)
        {
            float[] values = byName[tensor.Name];
            if (values.Length != tensor.Values.Length)
            {
                throw new InvalidDataException($"{tensor.Name}: {values.Length} values, expected {tensor.Values.Length}");
            }

            values.CopyTo(tensor.Values, 0);
        }

        if (byName.Count != set.Tensors.Count)
        {
            throw new InvalidDataException($"the case has {byName.Count} tensors, the architecture {set.Tensors.Count}");
        }

        return set;
    }
}
