using System;
using System.Linq;
using System.Reflection;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using TinyGru.Model;
using TinyGru.Model.Quantization;
using TinyGru.Quantization;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>SIMD path selection, zero allocations, argument checks and the activation approximation's error.</summary>
public sealed class RuntimeTests(ITestOutputHelper output)
{
    private static readonly Lazy<CompiledModel> Stacked = new(() => CompiledModel.Compile(ForwardCase.Load("gru/forward/f20_sat3_i7_h17_l2_h0.json").ToModel()));
    private static readonly Lazy<CompiledModel> BidirectionalStacked = new(() => CompiledModel.Compile(ForwardCase.Load("gru/forward/f12_i128_h16_l2_bi_packed_h0.json").ToModel()));
    private static readonly Lazy<CompiledModel> Text = new(() => CompiledModel.Compile(TestModels.TextModel()));

    // Stacked's network quantized to w8a8: its class uses the cheaper [7/4] σ/tanh.
    private static readonly Lazy<CompiledModel> StackedW8A8 = new(() => CompiledModel.Compile(
        Quantizer.Quantize(ForwardCase.Load("gru/forward/f20_sat3_i7_h17_l2_h0.json").ToModel(), QuantizationMode.W8A8)));

    /// <summary>The path this process's flags select, computed independently of the generated code.</summary>
    private static string ExpectedPath() =>
        Avx512F.IsSupported ? "avx512"
        : Avx2.IsSupported && Fma.IsSupported ? "avx2"
        : AdvSimd.IsSupported ? "advsimd"
        : Vector128.IsHardwareAccelerated ? "vector128"
        : "scalar";

    [Theory]
    [InlineData("gru/forward/f06_i17_h33_packed.json", false)]
    [InlineData("gru/forward/f06_i17_h33_packed.json", true)]
    [InlineData("gru/forward/f20_sat3_i7_h17_l2_h0.json", true)]
    [InlineData("gru/forward/c03_cho_i33_h64_packed.json", true)]
    [InlineData("gru/forward/f04_i7_h16_seq1.json", false)]
    public void With_AllowUnsafeBlocks_the_scratch_is_not_zeroed_and_steps_are_unchanged(string referenceCase, bool w8a8)
    {
        // A project that allows unsafe code gets [SkipLocalsInit] on the methods that take stack scratch. Every buffer must
        // then be written before it is read: stepped on a stack poisoned with 0xFF, the states equal those of the zeroing build.
        ForwardCase c = ForwardCase.Load(referenceCase);
        GruModel model = w8a8 ? Quantizer.Quantize(c.ToModel(), QuantizationMode.W8A8) : c.ToModel();
        CompiledModel zeroing = CompiledModel.Compile(model), skipping = CompiledModel.CompileAllowingUnsafe(model);
        Assert.DoesNotContain("[SkipLocalsInit]", zeroing.Outcome.GeneratedSource);
        Assert.Contains("[SkipLocalsInit]", skipping.Outcome.GeneratedSource);

        int h = c.HiddenSize, length = c.Lengths[0];
        float[] inputs = c.Input[0].Take(length).SelectMany(x => x).ToArray();
        var expected = new float[length * h];
        var actual = new float[length * h];
        zeroing.Call("StepAll", inputs, expected, null, new float[c.HN.Length * h]);
        skipping.Call("StepAllOnPoisonedStack", inputs, actual);
        AssertSameBits(expected, actual, h, $"{c.Name}{(w8a8 ? " w8a8" : "")} Step");

        // Forward too: its w8a8 input projection quantizes four steps into a stack buffer.
        zeroing.Call("Forward", inputs, expected, new float[c.HN.Length * h], null);
        skipping.Call("ForwardOnPoisonedStack", inputs, actual, new float[c.HN.Length * h]);
        AssertSameBits(expected, actual, h, $"{c.Name}{(w8a8 ? " w8a8" : "")} Forward");
    }

    private static void AssertSameBits(float[] expected, float[] actual, int h, string what)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{what}: state[{i / h}][{i % h}] = {actual[i]} on the poisoned stack, {expected[i]} zeroed");
        }
    }

    [Fact]
    public void Simd_path_is_the_one_this_process_was_started_for()
    {
        string path = (string)Stacked.Value.Call("SimdPath")!;
        output.WriteLine($"SIMD path: {path} (DOTNET_EnableAVX512={Environment.GetEnvironmentVariable("DOTNET_EnableAVX512")}, " +
                         $"DOTNET_EnableAVX2={Environment.GetEnvironmentVariable("DOTNET_EnableAVX2")}, DOTNET_EnableHWIntrinsic={Environment.GetEnvironmentVariable("DOTNET_EnableHWIntrinsic")})");
        Assert.Equal(ExpectedPath(), path);
        string? expected = Environment.GetEnvironmentVariable("TINYGRU_EXPECT_PATH");
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.Equal(expected, path);
        }
    }

    [Fact]
    public void Step_allocates_nothing_over_10000_calls()
    {
        long bytes = (long)Stacked.Value.Call("StepAllocations", new float[7], 10_000)!;
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Predict_of_ids_and_text_allocates_nothing_over_10000_calls()
    {
        int[] ids = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, 1999 };
        Assert.Equal(0L, (long)Text.Value.Call("PredictAllocations", ids, new float[1], 10_000)!);
        Assert.Equal(0L, (long)Text.Value.Call("PredictTextAllocations", "The movie wasn't great, it's bad!", new float[1], 10_000)!);
    }

    [Fact]
    public void Forward_of_a_bidirectional_stack_allocates_nothing_over_10000_calls()
    {
        const int steps = 6;
        long bytes = (long)BidirectionalStacked.Value.Call("ForwardAllocations", new float[steps * 128], new float[steps * 32], new float[2 * 2 * 16], 10_000)!;
        Assert.Equal(0, bytes);
    }

    [Fact]
    public void Wrong_lengths_and_ids_raise_argument_exceptions()
    {
        CompiledModel m = Stacked.Value;
        Assert.Throws<ArgumentException>(() => m.Call("Forward", new float[7 * 3 + 1], new float[3 * 17], new float[2 * 17], null));
        Assert.Throws<ArgumentException>(() => m.Call("Forward", new float[7 * 3], new float[3 * 17 - 1], new float[2 * 17], null));
        Assert.Throws<ArgumentException>(() => m.Call("Forward", new float[7 * 3], new float[3 * 17], new float[2 * 17 + 1], null));
        Assert.Throws<ArgumentException>(() => m.Call("Forward", new float[7 * 3], new float[3 * 17], new float[2 * 17], new float[3]));
        Assert.Throws<ArgumentException>(() => m.Call("Forward", Array.Empty<float>(), Array.Empty<float>(), new float[2 * 17], null));
        Assert.Throws<ArgumentException>(() => m.Call("StepWrongLength", new float[6]));
        Assert.Throws<ArgumentException>(() => Text.Value.Call("PredictLogits", new[] { 2, 2000 }, new float[1]));
        Assert.Throws<ArgumentException>(() => Text.Value.Call("PredictLogits", new[] { -1 }, new float[1]));
        Assert.Throws<ArgumentException>(() => Text.Value.Call("PredictLogits", Array.Empty<int>(), new float[1]));
        // A bidirectional stack whose layer copy does not fit the stack needs caller scratch.
        CompiledModel bi = BidirectionalStacked.Value;
        const int longSteps = 1000;
        Assert.Throws<ArgumentException>(() => bi.Call("Forward", new float[longSteps * 128], new float[longSteps * 32], new float[64], null));
        bi.Call("ForwardWithScratch", new float[longSteps * 128], new float[longSteps * 32], new float[64], new float[longSteps * 32]);
    }

    [Theory]
    [InlineData("float", 1e-6f)]
    [InlineData("w8a8", 2.5e-5f)]
    public void Activation_error_is_within_the_documented_bound_in_every_vector_width(string model, float documented)
    {
        CompiledModel m = model == "w8a8" ? StackedW8A8.Value : Stacked.Value;
        float bound = m.Constant<float>("ActivationMaxError");
        Assert.Equal(documented, bound);
        MethodInfo tanh = m.Private("Tanh", typeof(float));
        MethodInfo sigmoid = m.Private("Sigmoid", typeof(float));
        MethodInfo tanh128 = m.Private("Tanh", typeof(Vector128<float>));
        MethodInfo tanh256 = m.Private("Tanh", typeof(Vector256<float>));
        MethodInfo tanh512 = m.Private("Tanh", typeof(Vector512<float>));
        MethodInfo sigmoid128 = m.Private("Sigmoid", typeof(Vector128<float>));
        MethodInfo sigmoid256 = m.Private("Sigmoid", typeof(Vector256<float>));
        MethodInfo sigmoid512 = m.Private("Sigmoid", typeof(Vector512<float>));

        double maxTanh = 0, maxSigmoid = 0, maxVector = 0, maxVectorSigmoid = 0;
        const int n = 400_000;
        for (int i = 0; i <= n; i++)
        {
            // Dense near 0 and across the saturation region, every float in ±10 on a fine grid.
            float x = (float)(-10.0 + 20.0 * i / n);
            double t = Math.Abs((float)tanh.Invoke(null, new object[] { x })! - Math.Tanh(x));
            double s = Math.Abs((float)sigmoid.Invoke(null, new object[] { x })! - 1 / (1 + Math.Exp(-(double)x)));
            maxTanh = Math.Max(maxTanh, t);
            maxSigmoid = Math.Max(maxSigmoid, s);
        }

        var random = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            // σ saturates at twice tanh's clamp, so its inputs span twice the range.
            float[] xs = Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 24 - 12)).ToArray();
            float[] ss = xs.Select(x => 2 * x).ToArray();
            var v128 = (Vector128<float>)tanh128.Invoke(null, new object[] { Vector128.Create(xs.AsSpan(0, 4)) })!;
            var v256 = (Vector256<float>)tanh256.Invoke(null, new object[] { Vector256.Create(xs.AsSpan(0, 8)) })!;
            var v512 = (Vector512<float>)tanh512.Invoke(null, new object[] { Vector512.Create(xs) })!;
            var s128 = (Vector128<float>)sigmoid128.Invoke(null, new object[] { Vector128.Create(ss.AsSpan(0, 4)) })!;
            var s256 = (Vector256<float>)sigmoid256.Invoke(null, new object[] { Vector256.Create(ss.AsSpan(0, 8)) })!;
            var s512 = (Vector512<float>)sigmoid512.Invoke(null, new object[] { Vector512.Create(ss) })!;
            for (int k = 0; k < 16; k++)
            {
                double sigmoidOf = 1 / (1 + Math.Exp(-(double)ss[k]));
                if (k < 4) maxVector = Math.Max(maxVector, Math.Abs(v128[k] - Math.Tanh(xs[k])));
                if (k < 8) maxVector = Math.Max(maxVector, Math.Abs(v256[k] - Math.Tanh(xs[k])));
                maxVector = Math.Max(maxVector, Math.Abs(v512[k] - Math.Tanh(xs[k])));
                if (k < 4) maxVectorSigmoid = Math.Max(maxVectorSigmoid, Math.Abs(s128[k] - sigmoidOf));
                if (k < 8) maxVectorSigmoid = Math.Max(maxVectorSigmoid, Math.Abs(s256[k] - sigmoidOf));
                maxVectorSigmoid = Math.Max(maxVectorSigmoid, Math.Abs(s512[k] - sigmoidOf));
            }
        }

        output.WriteLine($"{model}: max |tanh error| scalar {maxTanh:E3}, vectors {maxVector:E3}; max |sigmoid error| scalar {maxSigmoid:E3}, vectors {maxVectorSigmoid:E3}; documented bound {bound:E1}");
        Assert.True(maxTanh <= bound, $"tanh error {maxTanh:E3} > {bound:E1}");
        Assert.True(maxVector <= bound, $"vector tanh error {maxVector:E3} > {bound:E1}");
        Assert.True(maxSigmoid <= bound / 2, $"sigmoid error {maxSigmoid:E3} > {bound / 2:E1}");
        Assert.True(maxVectorSigmoid <= bound / 2, $"vector sigmoid error {maxVectorSigmoid:E3} > {bound / 2:E1}");
    }
}
