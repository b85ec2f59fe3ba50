using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>
/// Predict on feature models (GRU → head, no embedding: sensor data). The sentiment golden cases become feature
/// models by feeding their embedding rows as the inputs, so PyTorch's own logits are the expected values; stacked and
/// bidirectional feature models are checked against the reference engine.
/// </summary>
public sealed class FeaturePredictTests
{
    public static TheoryData<string> SentimentCases => ParityTests.SentimentCases;

    private static GruModel WithoutEmbedding(GruModel model, HeadSpec? head = null)
    {
        NetworkArchitecture a = model.Architecture;
        return new GruModel(a with { Embedding = null, Head = head ?? a.Head },
            model.Tensors.Where(t => t.Name != TensorNames.EmbeddingWeight).ToList(), null, model.Provenance);
    }

    private static float[] Embed(GruModel model, int[] ids)
    {
        Tensor embedding = model.Tensors.Single(t => t.Name == TensorNames.EmbeddingWeight);
        int e = embedding.Shape[1];
        return ids.SelectMany(id => embedding.Values.Skip(id * e).Take(e)).ToArray();
    }

    [Theory]
    [MemberData(nameof(SentimentCases))]
    public void Predict_on_embedded_tokens_matches_pytorch(string referenceCase)
    {
        SentimentCase c = SentimentCase.Load(referenceCase);
        GruModel sentiment = c.ToModel();
        CompiledModel compiled = CompiledModel.Compile(WithoutEmbedding(sentiment));
        for (int b = 0; b < c.Lengths.Length; b++)
        {
            float[] inputs = Embed(sentiment, c.TokensOf(b));
            var logit = new float[1];
            var probability = new float[1];
            compiled.Call("PredictLogits", inputs, logit);
            compiled.Call("Predict", inputs, probability);
            Close.Equal(new[] { c.Logits[b] }, logit, ParityTests.Tolerance, $"{c.Name} logit[{b}]");
            Close.Equal(new[] { c.Probabilities[b] }, probability, ParityTests.Tolerance, $"{c.Name} probability[{b}]");
        }

        Assert.Equal(0L, (long)compiled.Call("PredictAllocations", Embed(sentiment, c.TokensOf(0)), new float[1], 200)!);
    }

    [Theory]
    [InlineData("gru/forward/f12_i128_h16_l2_bi_packed_h0.json")]  // 2 layers, bidirectional
    [InlineData("gru/forward/c04_cho_i7_h17_l2_bi_packed.json")]   // Cho, 2 layers, bidirectional
    [InlineData("gru/forward/f08_i16_h64_l3_h0.json")]             // 3 layers, unidirectional
    public void Predict_on_stacked_feature_models_matches_the_reference_engine(string referenceCase)
    {
        GruModel gru = ForwardCase.Load(referenceCase).ToModel();
        NetworkArchitecture a = gru.Architecture;
        var random = new Random(11);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var tensors = new List<Tensor>(gru.Tensors)
        {
            new(TensorNames.HeadWeight, new[] { 3, a.Gru.OutputSize }, Values(3 * a.Gru.OutputSize)),
            new(TensorNames.HeadBias, new[] { 3 }, Values(3)),
        };
        var model = new GruModel(a with { Head = new HeadSpec(3, OutputActivation.None) }, tensors, null, gru.Provenance);
        CompiledModel compiled = CompiledModel.Compile(model);
        var engine = new ReferenceEngine(model);
        foreach (int steps in new[] { 1, 5, 40 })
        {
            float[] inputs = Values(steps * a.Gru.InputSize);
            float[][] rows = Enumerable.Range(0, steps).Select(t => inputs.AsSpan(t * a.Gru.InputSize, a.Gru.InputSize).ToArray()).ToArray();
            Prediction expected = engine.PredictFromFeatures(engine.RunGru(rows, steps));
            var logits = new float[3];
            compiled.Call("PredictLogits", inputs, logits);
            Close.Equal(expected.Logits, logits, ParityTests.Tolerance, $"{referenceCase} logits, {steps} steps");
            var outputs = new float[3];
            compiled.Call("Predict", inputs, outputs);
            Assert.Equal(logits, outputs); // no activation on this head
        }

        ArgumentException e = Assert.Throws<ArgumentException>(() => compiled.Call("PredictLogits", new float[a.Gru.InputSize + 1], new float[3]));
        Assert.Contains("multiple of InputSize", e.Message);
        Assert.Throws<ArgumentException>(() => compiled.Call("PredictLogits", Array.Empty<float>(), new float[3]));
    }
}
