using System;
using System.Collections.Generic;
using System.Linq;
using TinyGru.Import;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Quantization;
using TinyGru.Quantization;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>
/// Int8 models end to end: every PyTorch reference case quantized with <see cref="Quantizer"/> in both modes, generated,
/// compiled and run in whatever SIMD path this process has (run-all.sh re-runs this in the avx2, vector128 and scalar paths).
/// Checked: (a) the w8a8 integer accumulators of every path this CPU has equal the scalar path's and the model's own int8
/// matrices exactly, and the quantizers equal the oracle's bit for bit; (b) outputs match <see cref="ReferenceEngine"/>
/// (w8a8 semantics, or the dequantized weights for w8a32); (c) outputs stay within the documented bounds of the float
/// PyTorch golden vectors (see <see cref="FloatDeviationBound"/>).
/// </summary>
public sealed class Int8Tests(ITestOutputHelper output)
{
    /// <summary>
    /// w8a32 vs the oracle on the dequantized weights: the kernels compute s·Σ q·x instead of Σ (q·s)·x, in another order,
    /// with the rational activations (≤ 1e-6): the float parity tolerance (1e-5 + 2e-6) covers it, as for float models.
    /// </summary>
    public const double W8A32Tolerance = ParityTests.Tolerance;

    /// <summary>
    /// w8a8 vs the oracle's w8a8 definition, the oracle using the class's own scalar σ/tanh (a [7/4] rational, ≤ 2.5e-5
    /// from the exact functions, checked by RuntimeTests). With exact ones, an error that size moves h·127 across rounding
    /// boundaries so often that it hides everything else (measured: elements up to 2e-3 apart; for f11, 20,469 values
    /// beyond 1e-5 in 13,056 elements); with its own, every case stays within 3e-7 and no element flips. The int32 sums
    /// and the rescale are the oracle's formula exactly; what differs is the activations' rounding (the vector forms fuse
    /// their multiply-adds, the scalar one does not) and one addition order (b_hh added to the rescaled row, not to the
    /// sum). A difference of ~1e-7 in h can still move h·127 across a rounding boundary (x.5), changing one q_h by 1; that
    /// changes a pre-activation by s_w·|q_w|/127 ≤ max|w_row|/127 (≈ 3e-3 for PyTorch's init, |w| ≤ 1/√H ≤ 1), then ≤ 1/4
    /// of it through σ (1 through tanh) and decays through later steps. Such flips are rare events, so the check is
    /// two-level: at most 1e-5 + 2e-6 on all but a few elements, and <see cref="W8A8FlipTolerance"/> on every element.
    /// </summary>
    public const double W8A8Tolerance = ParityTests.Tolerance;

    /// <summary>The bound on any element of a w8a8 output vs the oracle, allowing rounding flips (see <see cref="W8A8Tolerance"/>).</summary>
    public const double W8A8FlipTolerance = 5e-3;

    /// <summary>
    /// Set to <c>representative</c> (tests/run-all.sh does, for its re-runs in the avx2, vector128 and scalar paths) to run
    /// the output tests on <see cref="Representative"/> cases only: each case is a generator run plus an in-memory compile
    /// (~0.5–1 s), and the exact part of the int8 checks — the accumulators of every path — already runs for every path the
    /// CPU has in the full run. Unset: every reference case.
    /// </summary>
    public const string CasesVariable = "TINYGRU_INT8_CASES";

    /// <summary>The cases of a representative run: 1×1, odd sizes, Cho stacked bidirectional, wide input, saturating, the largest.</summary>
    public static readonly string[] Representative =
    {
        "gru/forward/f01_i1_h1.json", "gru/forward/f06_i17_h33_packed.json", "gru/forward/c04_cho_i7_h17_l2_bi_packed.json",
        "gru/forward/f12_i128_h16_l2_bi_packed_h0.json", "gru/forward/f19_sat3_i33_h64_bi_packed.json", "gru/forward/f11_i100_h256_packed.json",
        "sentiment/s01_v2000_e32_h16.json",
    };

    private static IEnumerable<string> Selected(string family) =>
        Environment.GetEnvironmentVariable(CasesVariable) == "representative"
            ? ReferenceRoot.CasesOf(family).Where(Representative.Contains)
            : ReferenceRoot.CasesOf(family);

    /// <summary>Every <c>gru/forward</c> case in both modes (or the representative ones, see <see cref="CasesVariable"/>).</summary>
    public static TheoryData<string, string> ForwardCases => Both(Selected("gru/forward"));

    /// <summary>Every <c>sentiment</c> case in both modes (or the representative one).</summary>
    public static TheoryData<string, string> SentimentCases => Both(Selected("sentiment"));

    /// <summary>
    /// Forward cases of varied shapes for the accumulator tests (odd sizes, Cho, stacked bidirectional, the largest), and
    /// <see cref="SyntheticInterleaved"/>. f11 (I = 100, H = 256) and the synthetic case have matrices over 32 KB, which the
    /// generator interleaves (generator README, "Int8 weight layout"); the others keep the panel layout.
    /// </summary>
    public static TheoryData<string> AccumulatorCases => new(
        "gru/forward/f01_i1_h1.json", "gru/forward/f06_i17_h33_packed.json", "gru/forward/c04_cho_i7_h17_l2_bi_packed.json",
        "gru/forward/f11_i100_h256_packed.json", SyntheticInterleaved);

    /// <summary>
    /// A model no reference case has: Cho's convention, I = 101, H = 116 (Hp = 120, 45 panels of 8 rows), random weights in
    /// PyTorch's init range. Both matrices are interleaved, and every panel range of its kernels ends in a block of fewer than
    /// 8 panels, which f11's (96 panels in one range) never does: W_ih's [0, 45) in 5 blocks + 5 panels, W_hh's r, z rows
    /// [0, 30) in 3 + 6 and its n rows [30, 45) in 1 + 7. The odd blocks leave the AVX-512BW kernel, which takes two
    /// interleaved panels per 512-bit vector, one panel for a 256-bit step. Its expected sums come straight from its int8
    /// matrices, as for the reference cases.
    /// </summary>
    public const string SyntheticInterleaved = "synthetic/cho_i101_h116";

    /// <summary>The reference case <paramref name="name"/> (or <see cref="SyntheticInterleaved"/>) quantized to w8a8.</summary>
    private static GruModel W8A8Model(string name) =>
        Quantizer.Quantize(name == SyntheticInterleaved ? RandomGru(GruConvention.Cho2014, 101, 116, seed: 23) : ForwardCase.Load(name).ToModel(), QuantizationMode.W8A8);

    private static GruModel RandomGru(GruConvention convention, int inputSize, int hiddenSize, int seed)
    {
        var random = new Random(seed);
        float bound = 1f / MathF.Sqrt(hiddenSize);
        StateDictTensor Uniform(params int[] shape)
        {
            var values = new float[shape.Aggregate(1, (a, b) => a * b)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)(random.NextDouble() * 2 - 1) * bound;
            }

            return new StateDictTensor(shape, values);
        }

        var stateDict = new Dictionary<string, StateDictTensor>
        {
            ["weight_ih_l0"] = Uniform(3 * hiddenSize, inputSize),
            ["weight_hh_l0"] = Uniform(3 * hiddenSize, hiddenSize),
            ["bias_ih_l0"] = Uniform(3 * hiddenSize),
            ["bias_hh_l0"] = Uniform(3 * hiddenSize),
        };
        return PyTorchImporter.Import(stateDict, new PyTorchImportOptions { Convention = convention, Provenance = Provenance.From("Int8Tests", "random init") });
    }

    /// <summary>Asserts which of the model's int8 matrices the generated source says are interleaved: those over 32 KB.</summary>
    private static void AssertLayouts(GruModel model, CompiledModel compiled)
    {
        var gru = model.Architecture.Gru;
        int rows = 3 * ((gru.HiddenSize + 7) / 8 * 8);
        string[] source = compiled.Outcome.GeneratedSource!.Split('\n');
        for (int layer = 0; layer < gru.Layers; layer++)
        {
            for (int dir = 0; dir < gru.Directions; dir++)
            {
                foreach ((string tensor, int k) in new[] { (TensorNames.WeightIh(layer, dir == 1), gru.LayerInputSize(layer)), (TensorNames.WeightHh(layer, dir == 1), gru.HiddenSize) })
                {
                    int bytes = rows * ((k + 3) / 4 * 4);
                    string doc = source.Single(line => line.Contains("(" + tensor + "), int8 ", StringComparison.Ordinal)).Trim();
                    Assert.True(doc.Contains("interleaved", StringComparison.Ordinal) == bytes > 32 * 1024,
                        $"{tensor} ({bytes} bytes) should {(bytes > 32 * 1024 ? "" : "not ")}be interleaved: {doc}");
                }
            }
        }
    }

    private static TheoryData<string, string> Both(IEnumerable<string> cases)
    {
        var data = new TheoryData<string, string>();
        foreach (string c in cases)
        {
            data.Add(c, QuantizationSpec.W8A32Name);
            data.Add(c, QuantizationSpec.W8A8Name);
        }

        return data;
    }

    private static QuantizationMode ModeOf(string mode) => QuantizationSpec.TryParseMode(mode, out QuantizationMode m) ? m : throw new ArgumentException(mode);

    /// <summary>
    /// The bound on |int8 output − float PyTorch output| for a model of hidden size <paramref name="hidden"/> in
    /// <paramref name="mode"/>. Empirically calibrated, not a worst case: 2× the largest deviation measured over the
    /// reference cases of the size class (2026-11-27), rounded up; docs/int8.md derives the expected scale (per-row weight
    /// error ≤ s_r/2, s_r = max|w_r|/127, summed over ~√K random-signed terms, through σ' ≤ 1/4 and tanh' ≤ 1) and lists
    /// the measured maxima. Measured: w8a32 1.72e-2 / 1.59e-2 / 3.6e-3 and w8a8 3.97e-2 / 3.23e-2 / 7.9e-3 for
    /// H ≤ 16 / ≤ 64 / larger (the largest: f14, I = 256 inputs into H = 16, and the saturating sat3 cases). The w8a8
    /// middle class was 2.97e-2 with the [13/6] σ/tanh; the [7/4] (2026-11-27, ninth session) raised f18 to 3.23e-2,
    /// and the bound to 0.07.
    /// </summary>
    public static double FloatDeviationBound(int hidden, QuantizationMode mode) => (mode, hidden) switch
    {
        (QuantizationMode.W8A32, <= 16) => 0.035,
        (QuantizationMode.W8A32, <= 64) => 0.035,
        (QuantizationMode.W8A32, _) => 0.008,
        (QuantizationMode.W8A8, <= 16) => 0.08,
        (QuantizationMode.W8A8, <= 64) => 0.07,
        _ => 0.016,
    };

    /// <summary>Compares with the two-level w8a8 rule or the plain w8a32 tolerance; returns the largest difference.</summary>
    private static double CompareWithOracle(QuantizationMode mode, float[] expected, float[] actual, string where, ref int flips)
    {
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = Math.Abs(expected[i] - actual[i]);
            max = Math.Max(max, d);
            if (mode == QuantizationMode.W8A32 || d <= W8A8Tolerance)
            {
                Assert.True(d <= W8A32Tolerance, $"{where}[{i}]: {actual[i]} vs oracle {expected[i]} (|Δ| = {d:E2} > {W8A32Tolerance:E1})");
                continue;
            }

            flips++;
            Assert.True(d <= W8A8FlipTolerance, $"{where}[{i}]: {actual[i]} vs oracle {expected[i]} (|Δ| = {d:E2} > {W8A8FlipTolerance:E1})");
        }

        return max;
    }

    /// <summary>The oracle for <paramref name="model"/>: for w8a8, with the compiled class's own σ/tanh (see <see cref="W8A8Tolerance"/>).</summary>
    private static ReferenceEngine Oracle(GruModel model, QuantizationMode mode, CompiledModel compiled) =>
        new(model, mode == QuantizationMode.W8A8 ? compiled.OwnActivations() : null);

    private static double MaxDeviation(float[] expected, float[] actual) => expected.Zip(actual, (e, a) => (double)Math.Abs(e - a)).DefaultIfEmpty(0).Max();

    [Theory]
    [MemberData(nameof(ForwardCases))]
    public void Forward_matches_the_oracle_and_stays_near_float(string referenceCase, string mode)
    {
        ForwardCase c = ForwardCase.Load(referenceCase);
        QuantizationMode m = ModeOf(mode);
        GruModel model = Quantizer.Quantize(c.ToModel(), m);
        CompiledModel compiled = CompiledModel.Compile(model);
        Assert.Equal(mode, compiled.Constant<string>("QuantizationMode"));
        var engine = Oracle(model, m, compiled);
        int dh = (c.Bidirectional ? 2 : 1) * c.HiddenSize, h = c.HiddenSize;
        double oracleMax = 0, floatMax = 0;
        int flips = 0, elements = 0;
        for (int b = 0; b < c.Batch; b++)
        {
            int length = c.Lengths[b];
            float[][] steps = c.Input[b].Take(length).ToArray();
            float[] inputs = steps.SelectMany(x => x).ToArray();
            float[][] initialStates = c.InitialStateOf(b);
            float[] initial = initialStates.SelectMany(x => x).ToArray();
            var outputs = new float[length * dh];
            var finals = new float[c.HN.Length * h];
            compiled.Call("Forward", inputs, outputs, finals, initial);
            GruRun expected = engine.RunGru(steps, length, initialStates);
            for (int t = 0; t < length; t++)
            {
                float[] actual = outputs.AsSpan(t * dh, dh).ToArray();
                oracleMax = Math.Max(oracleMax, CompareWithOracle(m, expected.Outputs[t], actual, $"{c.Name} {mode} output[{b}][{t}]", ref flips));
                floatMax = Math.Max(floatMax, MaxDeviation(c.Output[b][t], actual));
                elements += dh;
            }

            for (int s = 0; s < c.HN.Length; s++)
            {
                float[] actual = finals.AsSpan(s * h, h).ToArray();
                oracleMax = Math.Max(oracleMax, CompareWithOracle(m, expected.FinalStates[s], actual, $"{c.Name} {mode} h_n[{s}][{b}]", ref flips));
                floatMax = Math.Max(floatMax, MaxDeviation(c.HN[s][b], actual));
            }

            if (!c.Bidirectional)
            {
                var stepped = new float[length * h];
                var stepFinals = new float[c.HN.Length * h];
                compiled.Call("StepAll", inputs, stepped, initial, stepFinals);
                for (int t = 0; t < length; t++)
                {
                    oracleMax = Math.Max(oracleMax, CompareWithOracle(m, expected.Outputs[t], stepped.AsSpan(t * h, h).ToArray(), $"{c.Name} {mode} Step output[{b}][{t}]", ref flips));
                }
            }
        }

        double bound = FloatDeviationBound(h, m);
        output.WriteLine($"{c.Name} {mode} H={h}: max |Δ| vs oracle {oracleMax:E2} ({flips} rounding flips in {elements} elements), vs float PyTorch {floatMax:E3} (bound {bound})");
        Assert.True(flips <= Math.Max(2, elements / 100), $"{flips} elements of {elements} beyond {W8A8Tolerance:E1}: more than rare rounding flips");
        Assert.True(floatMax <= bound, $"{c.Name} {mode}: deviation from the float model {floatMax:E3} > bound {bound}");
    }

    [Theory]
    [MemberData(nameof(SentimentCases))]
    public void Predict_matches_the_oracle_and_stays_near_float(string referenceCase, string mode)
    {
        SentimentCase c = SentimentCase.Load(referenceCase);
        QuantizationMode m = ModeOf(mode);
        GruModel model = Quantizer.Quantize(c.ToModel(), m);
        CompiledModel compiled = CompiledModel.Compile(model);
        var engine = Oracle(model, m, compiled);
        int h = model.Architecture.Gru.HiddenSize;
        double oracleMax = 0, floatMax = 0;
        int flips = 0;
        for (int b = 0; b < c.Lengths.Length; b++)
        {
            int[] ids = c.TokensOf(b);
            var logit = new float[1];
            compiled.Call("PredictLogits", ids, logit);
            Prediction expected = engine.Predict(ids);
            oracleMax = Math.Max(oracleMax, CompareWithOracle(m, expected.Logits, logit, $"{c.Name} {mode} logit[{b}]", ref flips));
            floatMax = Math.Max(floatMax, Math.Abs(c.Logits[b] - logit[0]));
        }

        // The head sums H states: its float bound scales with Σ|head weight| (≤ 1 here: PyTorch's init, |w| ≤ 1/√H).
        double bound = FloatDeviationBound(h, m) * Math.Max(1, model[TensorNames.HeadWeight].Values.Sum(Math.Abs));
        output.WriteLine($"{c.Name} {mode} H={h}: max |Δ logit| vs oracle {oracleMax:E2} ({flips} flips), vs float PyTorch {floatMax:E3} (bound {bound:F3})");
        Assert.True(flips <= 1, $"{flips} logits beyond {W8A8Tolerance:E1}");
        Assert.True(floatMax <= bound, $"{c.Name} {mode}: logit deviation from the float model {floatMax:E3} > bound {bound}");
    }

    [Theory]
    [MemberData(nameof(AccumulatorCases))]
    public void Integer_accumulators_of_every_path_equal_the_scalar_path_and_the_model(string referenceCase)
    {
        GruModel model = W8A8Model(referenceCase);
        CompiledModel compiled = CompiledModel.Compile(model);
        AssertLayouts(model, compiled);
        var random = new Random(11);
        var tested = new SortedSet<string>();
        foreach (IntegerMatrix m in IntegerMatrices(model))
        {
            for (int trial = 0; trial < 6; trial++)
            {
                // Random vectors, and the extremes: all +127 / alternating ±127 maximize |acc| and the int16 products.
                var q = new sbyte[m.K4];
                for (int i = 0; i < m.K; i++)
                {
                    q[i] = trial switch
                    {
                        0 => 127,
                        1 => (sbyte)(i % 2 == 0 ? 127 : -127),
                        _ => (sbyte)random.Next(-127, 128),
                    };
                }

                int[] expected = m.Sums(q, 1);
                foreach (string path in new[] { "scalar", "vector128", "avx2", "avx512", "avxvnni", "advsimd" })
                {
                    var acc = new int[m.Rows];
                    if (!(bool)compiled.Call("Accumulators", m.Name, path, q, acc)!)
                    {
                        continue;
                    }

                    tested.Add(path);
                    for (int r = 0; r < m.Rows; r++)
                    {
                        Assert.True(expected[r] == acc[r], $"{m.Name} {path} trial {trial}: acc[{r}] = {acc[r]}, expected {expected[r]}");
                    }
                }
            }
        }

        output.WriteLine($"{referenceCase}: accumulators equal on paths {string.Join(", ", tested)}");
        Assert.Contains("scalar", tested);
        Assert.Contains("vector128", tested);
    }

    [Theory]
    [MemberData(nameof(AccumulatorCases))]
    public void Avx_vnni_kernels_give_the_same_sums_at_every_weight_alignment(string referenceCase)
    {
        // Static data is 8-byte aligned; the kernels move their loads back to a 32-byte boundary when the weights start a whole
        // number of int32 lanes past one, and load as they fall otherwise. Each build fixes one alignment, so the hook copies the
        // weights to every offset 0 … 31 (guards of nonzero bytes around them) and the sums must not change.
        GruModel model = W8A8Model(referenceCase);
        CompiledModel compiled = CompiledModel.Compile(model);
        var random = new Random(13);
        foreach (IntegerMatrix m in IntegerMatrices(model))
        {
            // W_ih also has the four-step kernel of Forward's input projection: q holds four inputs, acc four row blocks.
            foreach (int steps in m.Name.StartsWith("Wx", StringComparison.Ordinal) ? new[] { 1, 4 } : new[] { 1 })
            {
                sbyte[] q = m.RandomInputs(random, steps);
                int[] expected = m.Sums(q, steps);
                for (int offset = 0; offset < 32; offset++)
                {
                    var acc = new int[steps * m.Rows];
                    if (!(bool)compiled.Call("VnniAccumulatorsAtOffset", m.Name, offset, steps, q, acc)!)
                    {
                        Assert.Skip("this CPU has no AVX-VNNI");
                    }

                    for (int r = 0; r < acc.Length; r++)
                    {
                        Assert.True(expected[r] == acc[r], $"{m.Name} steps {steps} offset {offset}: acc[{r}] = {acc[r]}, expected {expected[r]}");
                    }
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(AccumulatorCases))]
    public void Avx_vnni_kernels_rescale_in_their_last_step_exactly_as_the_separate_rescale_at_every_weight_alignment(string referenceCase)
    {
        // On AVX-VNNI the one-step kernels turn each row's sum into y = acc · (scale · activationScale) + bias while it is in a
        // register; every other path stores the sums and runs Rescale over them. Both must give the same floats, bit for bit, in
        // the aligned and the rotated form (the hook copies the weights to every offset 0 … 31).
        GruModel model = W8A8Model(referenceCase);
        CompiledModel compiled = CompiledModel.Compile(model);
        var random = new Random(17);
        foreach (IntegerMatrix m in IntegerMatrices(model))
        {
            sbyte[] q = m.RandomInputs(random, 1);

            // W_ih's scale is the input's dynamic one; W_hh's the state's fixed 1/127.
            float activationScale = m.Name.StartsWith("Wx", StringComparison.Ordinal) ? 0.0137f : 1f / 127f;
            for (int offset = 0; offset < 32; offset++)
            {
                var fused = new float[m.Rows];
                var separate = new float[m.Rows];
                if (!(bool)compiled.Call("VnniRescaledAtOffset", m.Name, offset, q, activationScale, fused, separate)!)
                {
                    Assert.Skip("this CPU has no AVX-VNNI");
                }

                Assert.Contains(separate, v => v != 0f);
                for (int r = 0; r < m.Rows; r++)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(fused[r]) == BitConverter.SingleToInt32Bits(separate[r]),
                        $"{m.Name} offset {offset}: row {r} rescaled in the kernel {fused[r]:R}, separately {separate[r]:R}");
                }
            }
        }
    }

    /// <summary>One int8 matrix of a w8a8 model as the generated hooks name it (WxL0, WhL1R, …), with its K columns (K4 padded).</summary>
    private sealed record IntegerMatrix(string Name, sbyte[] Weights, int H, int K)
    {
        public int K4 => (K + 3) / 4 * 4;

        public int Rows => 3 * ((H + 7) / 8 * 8);

        /// <summary>`steps` random inputs of K values in ±127, each padded to K4 with zeros, as the hooks take them.</summary>
        public sbyte[] RandomInputs(Random random, int steps)
        {
            var q = new sbyte[steps * K4];
            for (int t = 0; t < steps; t++)
            {
                for (int i = 0; i < K; i++)
                {
                    q[t * K4 + i] = (sbyte)random.Next(-127, 128);
                }
            }

            return q;
        }

        /// <summary>The expected sums straight from the model's int8 matrix, in the padded gate-row order, for `steps` inputs of K4 values.</summary>
        public int[] Sums(sbyte[] q, int steps)
        {
            int hp = (H + 7) / 8 * 8;
            var sums = new int[steps * Rows];
            for (int t = 0; t < steps; t++)
            {
                for (int g = 0; g < 3; g++)
                {
                    for (int j = 0; j < H; j++)
                    {
                        int sum = 0;
                        for (int i = 0; i < K; i++)
                        {
                            sum += Weights[(g * H + j) * K + i] * q[t * K4 + i];
                        }

                        sums[t * Rows + g * hp + j] = sum;
                    }
                }
            }

            return sums;
        }
    }

    private static IEnumerable<IntegerMatrix> IntegerMatrices(GruModel model)
    {
        var gru = model.Architecture.Gru;
        for (int layer = 0; layer < gru.Layers; layer++)
        {
            for (int dir = 0; dir < gru.Directions; dir++)
            {
                string suffix = "L" + layer + (dir == 1 ? "R" : "");
                yield return new IntegerMatrix("Wx" + suffix, model[TensorNames.WeightIh(layer, dir == 1)].Quantized!, gru.HiddenSize, gru.LayerInputSize(layer));
                yield return new IntegerMatrix("Wh" + suffix, model[TensorNames.WeightHh(layer, dir == 1)].Quantized!, gru.HiddenSize, gru.HiddenSize);
            }
        }
    }

    [Fact]
    public void Integer_dot_path_is_the_one_this_process_was_started_for()
    {
        CompiledModel compiled = CompiledModel.Compile(Quantizer.Quantize(ForwardCase.Load("gru/forward/f06_i17_h33_packed.json").ToModel(), QuantizationMode.W8A8));
        string path = (string)compiled.Call("IntegerDotPath")!;
        output.WriteLine($"integer dot path: {path} (DOTNET_EnableAVXVNNI={Environment.GetEnvironmentVariable("DOTNET_EnableAVXVNNI")}, " +
                         $"DOTNET_EnableAVX512={Environment.GetEnvironmentVariable("DOTNET_EnableAVX512")})");
        Assert.Equal(ExpectedKernels.IntegerDotPath, path);
        string? expected = Environment.GetEnvironmentVariable("TINYGRU_EXPECT_DOT_PATH");
        if (!string.IsNullOrEmpty(expected))
        {
            Assert.Equal(expected, path);
        }
    }

    [Fact]
    public void Quantizers_equal_the_oracle_bit_for_bit()
    {
        CompiledModel compiled = CompiledModel.Compile(Quantizer.Quantize(ForwardCase.Load("gru/forward/f06_i17_h33_packed.json").ToModel(), QuantizationMode.W8A8));
        var random = new Random(5);
        for (int trial = 0; trial < 400; trial++)
        {
            int n = 1 + random.Next(70);
            var x = new float[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = (trial % 4) switch
                {
                    0 => (float)(random.NextDouble() * 2 - 1),
                    1 => (float)((random.Next(-254, 255) + 0.5) / 254.0 * (trial % 8 == 1 ? 1 : 3)), // ties of h·127 (and near ties)
                    2 => (float)Math.Round(random.NextDouble() * 10 - 5, 1),
                    _ => trial % 16 == 3 ? 0f : (float)(random.NextDouble() * 1e-3),
                };
            }

            if (trial % 16 == 7)
            {
                x[random.Next(n)] = float.NaN; // anywhere, so every vector lane and the scalar tail meet one: scale NaN, q all 0
            }

            int padded = (n + 3) / 4 * 4 + 4;
            var q = Enumerable.Repeat((sbyte)99, padded).ToArray();
            float scale = (float)compiled.Call("QuantizeInput", x, q)!;
            (sbyte[] expected, float expectedScale) = ReferenceEngine.QuantizeDynamic(x);
            if (float.IsNaN(expectedScale))
            {
                Assert.True(float.IsNaN(scale), $"trial {trial}: a NaN input gave the scale {scale}, not NaN"); // NaN's sign and payload carry nothing
            }
            else
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(expectedScale), BitConverter.SingleToInt32Bits(scale));
            }

            Assert.Equal(expected, q.Take(n).ToArray());
            Assert.All(q.Skip(n), v => Assert.Equal(0, v));

            float[] state = x.Select(v => Math.Clamp(v, -1f, 1f)).ToArray();
            compiled.Call("QuantizeState", state, q);
            Assert.Equal(ReferenceEngine.QuantizeState(state), q.Take(n).ToArray());
        }
    }

    [Theory]
    [InlineData("w8a32")]
    [InlineData("w8a8")]
    public void Step_Forward_and_Predict_allocate_nothing(string mode)
    {
        QuantizationMode m = ModeOf(mode);
        CompiledModel stacked = CompiledModel.Compile(Quantizer.Quantize(ForwardCase.Load("gru/forward/f20_sat3_i7_h17_l2_h0.json").ToModel(), m));
        // Users build with warnings as errors: the int8 code must compile without a warning.
        Assert.Empty(stacked.Outcome.Output.GetDiagnostics(TestContext.Current.CancellationToken).Where(d => d.Severity >= Microsoft.CodeAnalysis.DiagnosticSeverity.Warning));
        Assert.Equal(0L, (long)stacked.Call("StepAllocations", new float[7], 10_000)!);
        CompiledModel bi = CompiledModel.Compile(Quantizer.Quantize(ForwardCase.Load("gru/forward/f12_i128_h16_l2_bi_packed_h0.json").ToModel(), m));
        Assert.Equal(0L, (long)bi.Call("ForwardAllocations", new float[6 * 128], new float[6 * 32], new float[2 * 2 * 16], 10_000)!);
        CompiledModel text = CompiledModel.Compile(Quantizer.Quantize(TestModels.TextModel(), m));
        int[] ids = { 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 100, 1999 };
        Assert.Equal(0L, (long)text.Call("PredictAllocations", ids, new float[1], 10_000)!);
        Assert.Equal(0L, (long)text.Call("PredictTextAllocations", "The movie wasn't great, it's bad!", new float[1], 10_000)!);
    }
}
