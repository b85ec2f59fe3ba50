using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;
using TinyGru.Quantization;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>
/// Embedding tables above 65,536 64-bit words are emitted in parts, each in a file of its own, so that Roslyn compiles
/// them in parallel (the seed-size float model builds in ≈ 21 s instead of ≈ 32 s). Rows on both sides of every part
/// boundary must read the right weights: Predict and Step are compared with the reference engine on those token ids.
/// </summary>
public sealed class LargeEmbeddingTests
{
    // f08: 3 layers, I = 16, H = 64. Float: 9,000 × 16 floats = 72,000 words → parts of 8,192 rows.
    // Int8: 33,000 × 16 bytes = 66,000 words → parts of 32,768 rows.
    [Theory]
    [InlineData(null, 9_000, 8_192)]
    [InlineData(QuantizationMode.W8A32, 33_000, 32_768)]
    [InlineData(QuantizationMode.W8A8, 33_000, 32_768)]
    public void A_split_embedding_reads_the_same_rows_as_the_model(QuantizationMode? mode, int vocabulary, int rowsPerPart)
    {
        GruModel gru = ForwardCase.Load("gru/forward/f08_i16_h64_l3_h0.json").ToModel();
        NetworkArchitecture a = gru.Architecture;
        var random = new Random(17);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var tensors = new List<Tensor> { new(TensorNames.EmbeddingWeight, new[] { vocabulary, a.Gru.InputSize }, Values(vocabulary * a.Gru.InputSize)) };
        tensors.AddRange(gru.Tensors);
        tensors.Add(new Tensor(TensorNames.HeadWeight, new[] { 1, a.Gru.OutputSize }, Values(a.Gru.OutputSize)));
        tensors.Add(new Tensor(TensorNames.HeadBias, new[] { 1 }, Values(1)));
        var model = new GruModel(a with { Embedding = new EmbeddingSpec(vocabulary, a.Gru.InputSize, null), Head = new HeadSpec(1, OutputActivation.Sigmoid) },
            tensors, null, gru.Provenance);
        if (mode is QuantizationMode m)
        {
            model = Quantizer.Quantize(model, m);
        }

        CompiledModel compiled = CompiledModel.Compile(model);
        int parts = (vocabulary + rowsPerPart - 1) / rowsPerPart;
        string[] files = compiled.Outcome.Driver.GetRunResult().GeneratedTrees.Select(t => System.IO.Path.GetFileName(t.FilePath)).ToArray();
        Assert.Equal(parts, files.Count(f => f.Contains(".EmbeddingPart", StringComparison.Ordinal)));
        Assert.Contains($"private const int EmbeddingRowsPerPart = {rowsPerPart};", compiled.Outcome.GeneratedSource);

        // A w8a8 class's σ/tanh are a coarser rational: the engine shares them (Int8Tests.W8A8Tolerance says why).
        var engine = new ReferenceEngine(model, mode == QuantizationMode.W8A8 ? compiled.OwnActivations() : null);
        int[] boundaryIds = { 0, 1, rowsPerPart - 1, rowsPerPart, rowsPerPart + 1, vocabulary - 2, vocabulary - 1 };
        foreach (int id in boundaryIds)
        {
            int[] ids = { id, id, (id + 5) % vocabulary };
            var logit = new float[1];
            compiled.Call("PredictLogits", ids, logit);
            Close.Equal(engine.Predict(ids).Logits, logit, ParityTests.Tolerance, $"{mode} token {id}");
        }
    }
}
