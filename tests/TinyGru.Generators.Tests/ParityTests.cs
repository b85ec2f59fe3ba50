using System;
using System.Linq;
using TinyGru.Model;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>Every PyTorch golden case, compiled by the generator and run in whatever SIMD path this process has.</summary>
public sealed class ParityTests
{
    /// <summary>The README's float32 tolerance plus twice the activation approximation's documented error.</summary>
    public const double Tolerance = ReferenceTolerances.GruForward + 2 * 1e-6;

    /// <summary>Every <c>gru/forward</c> case.</summary>
    public static TheoryData<string> ForwardCases => new(ReferenceRoot.CasesOf("gru/forward"));

    /// <summary>Every <c>sentiment</c> case.</summary>
    public static TheoryData<string> SentimentCases => new(ReferenceRoot.CasesOf("sentiment"));

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Forward_matches_pytorch(string referenceCase)
    {
        ForwardCase c = ForwardCase.Load(referenceCase);
        GruModel model = c.ToModel();
        CompiledModel compiled = CompiledModel.Compile(model);
        int i = c.InputSize, dh = (c.Bidirectional ? 2 : 1) * c.HiddenSize, h = c.HiddenSize;
        Assert.Equal(model.Architecture.Gru.InputSize, compiled.Constant<int>("InputSize"));
        for (int b = 0; b < c.Batch; b++)
        {
            int length = c.Lengths[b];
            float[] inputs = c.Input[b].Take(length).SelectMany(x => x).ToArray();
            float[] initial = c.InitialStateOf(b).SelectMany(x => x).ToArray();
            var outputs = new float[length * dh];
            var finals = new float[c.HN.Length * h];
            compiled.Call("Forward", inputs, outputs, finals, initial);
            for (int t = 0; t < length; t++)
            {
                Close.Equal(c.Output[b][t], outputs.AsSpan(t * dh, dh).ToArray(), Tolerance, $"{c.Name} output[{b}][{t}]");
            }

            for (int s = 0; s < c.HN.Length; s++)
            {
                Close.Equal(c.HN[s][b], finals.AsSpan(s * h, h).ToArray(), Tolerance, $"{c.Name} h_n[{s}][{b}]");
            }

            if (!c.Bidirectional)
            {
                // Streaming: Step over the same sequence gives the same trajectory.
                var stepped = new float[length * h];
                var stepFinals = new float[c.HN.Length * h];
                compiled.Call("StepAll", inputs, stepped, initial, stepFinals);
                for (int t = 0; t < length; t++)
                {
                    Close.Equal(c.Output[b][t], stepped.AsSpan(t * h, h).ToArray(), Tolerance, $"{c.Name} Step output[{b}][{t}]");
                }

                for (int s = 0; s < c.HN.Length; s++)
                {
                    Close.Equal(c.HN[s][b], stepFinals.AsSpan(s * h, h).ToArray(), Tolerance, $"{c.Name} Step h_n[{s}][{b}]");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(SentimentCases))]
    public void Predict_matches_pytorch(string referenceCase)
    {
        SentimentCase c = SentimentCase.Load(referenceCase);
        CompiledModel compiled = CompiledModel.Compile(c.ToModel());
        for (int b = 0; b < c.Lengths.Length; b++)
        {
            int[] ids = c.TokensOf(b);
            var logit = new float[1];
            var probability = new float[1];
            compiled.Call("PredictLogits", ids, logit);
            compiled.Call("Predict", ids, probability);
            Close.Equal(new[] { c.Logits[b] }, logit, Tolerance, $"{c.Name} logit[{b}]");
            Close.Equal(new[] { c.Probabilities[b] }, probability, Tolerance, $"{c.Name} probability[{b}]");
        }
    }

    [Fact]
    public void Reference_root_has_forward_and_sentiment_cases()
    {
        // Guards the data-driven theories against passing on an empty reference folder.
        Assert.True(ReferenceRoot.CasesOf("gru/forward").Count >= 20);
        Assert.True(ReferenceRoot.CasesOf("sentiment").Count >= 4);
    }
}
