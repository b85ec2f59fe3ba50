using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>
/// Predict on stacked and bidirectional embedding models, which no sentiment golden case covers: the PyTorch GRU weights
/// of the forward cases get an embedding table and a head, and the generated code is compared with the reference
/// engine (itself checked against PyTorch by TinyGru.Reference.Tests).
/// </summary>
public sealed class StackedPredictTests
{
    /// <summary>GRU cases reused with an embedding and a head.</summary>
    public static TheoryData<string> Cases => new(
        "gru/forward/f12_i128_h16_l2_bi_packed_h0.json",   // 2 layers, bidirectional
        "gru/forward/f15_i7_h3_l2_bi_packed.json",          // 2 layers, bidirectional, tiny H
        "gru/forward/c04_cho_i7_h17_l2_bi_packed.json",     // Cho, 2 layers, bidirectional
        "gru/forward/f08_i16_h64_l3_h0.json");              // 3 layers, unidirectional

    private static GruModel WithEmbeddingAndHead(GruModel gru, int vocabulary, bool text)
    {
        NetworkArchitecture a = gru.Architecture;
        var random = new Random(a.Gru.InputSize * 31 + a.Gru.HiddenSize);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        int e = a.Gru.InputSize;
        var tensors = new List<Tensor> { new(TensorNames.EmbeddingWeight, new[] { vocabulary, e }, Values(vocabulary * e)) };
        tensors.AddRange(gru.Tensors);
        tensors.Add(new Tensor(TensorNames.HeadWeight, new[] { 2, a.Gru.OutputSize }, Values(2 * a.Gru.OutputSize)));
        tensors.Add(new Tensor(TensorNames.HeadBias, new[] { 2 }, Values(2)));
        var architecture = new NetworkArchitecture(new EmbeddingSpec(vocabulary, e, null), a.Gru, new HeadSpec(2, OutputActivation.Sigmoid));
        TextSpec? textSpec = text
            ? new TextSpec(new TokenizerSettings(ReviewTokenizer.KindName, true),
                new[] { "<unk>", "<pad>" }.Concat(TestModels.Words).Concat(Enumerable.Range(0, vocabulary).Select(i => "w" + i)).Take(vocabulary).ToArray(), "<unk>", "<pad>")
            : null;
        return new GruModel(architecture, tensors, textSpec, gru.Provenance);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Predict_matches_the_reference_engine(string referenceCase)
    {
        GruModel model = WithEmbeddingAndHead(ForwardCase.Load(referenceCase).ToModel(), 60, text: true);
        CompiledModel compiled = CompiledModel.Compile(model);
        var engine = new ReferenceEngine(model);
        var random = new Random(5);
        foreach (int length in new[] { 1, 2, 7, 30 })
        {
            int[] ids = Enumerable.Range(0, length).Select(_ => random.Next(60)).ToArray();
            Prediction expected = engine.Predict(ids);
            var logits = new float[2];
            var outputs = new float[2];
            compiled.Call("PredictLogits", ids, logits);
            compiled.Call("Predict", ids, outputs);
            Close.Equal(expected.Logits, logits, ParityTests.Tolerance, $"{referenceCase} logits, {length} tokens");
            Close.Equal(expected.Outputs, outputs, ParityTests.Tolerance, $"{referenceCase} outputs, {length} tokens");
        }

        // Text goes through the same path (bidirectional models buffer the ids on the stack).
        const string text = "The movie wasn't great, it's bad!! w17 w18";
        var fromText = new float[2];
        var fromIds = new float[2];
        compiled.Call("PredictText", text, fromText);
        compiled.Call("PredictLogits", model.Text!.Encode(text), fromIds);
        Assert.Equal(fromIds, fromText);
    }
}
