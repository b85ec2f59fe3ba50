using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using TinyGru.Generators.Model;
using TinyGru.Model.Architecture;

namespace TinyGru.Generators
{
    public sealed partial class GruModelGenerator
    {
        /// <summary>Turns a <see cref="GenerationSpec"/> into C# source. Never throws.</summary>
        internal static partial class Emitter
        {
            /// <summary>Floats a generated method may put on the stack for a whole sequence (64 KiB).</summary>
            internal const int MaxStackFloats = 16384;

            /// <summary>Emits the class, or only diagnostics when an error prevents it.</summary>
            public static EmitResult Emit(GenerationSpec spec, CancellationToken cancellationToken)
            {
                bool hasError = false;
                foreach (DiagnosticInfo d in spec.Diagnostics)
                {
                    hasError |= DiagnosticDescriptors.ById(d.Id).DefaultSeverity == DiagnosticSeverity.Error;
                }

                if (hasError || spec.Model is null)
                {
                    return new EmitResult(spec.Class.HintName, null, spec.Diagnostics);
                }

                try
                {
                    var writer = new ClassWriter(spec.Class, spec.Model, spec.SkipLocalsInit, cancellationToken);
                    string source = writer.Write();
                    return new EmitResult(spec.Class.HintName, source, spec.Diagnostics, new EquatableArray<string>(writer.Parts.ToArray()));
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
                catch (Exception e)
                {
                    var diagnostics = new List<DiagnosticInfo>(spec.Diagnostics)
                    {
                        DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, spec.Class.AttributeLocation, spec.Class.Name, e.GetType().Name + ": " + e.Message),
                    };
                    return new EmitResult(spec.Class.HintName, null, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
                }
            }

            /// <summary>The file name of part <paramref name="index"/> of a class whose main file is <paramref name="hintName"/>.</summary>
            internal static string PartHintName(string hintName, int index) =>
                (hintName.EndsWith(".g.cs", StringComparison.Ordinal) ? hintName.Substring(0, hintName.Length - 5) : hintName) + ".EmbeddingPart" + N(index) + ".g.cs";

            /// <summary>Formats an int with the invariant culture.</summary>
            internal static string N(int value) => value.ToString(CultureInfo.InvariantCulture);

            /// <summary>Formats a float literal that round-trips, whatever the current culture.</summary>
            internal static string F(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

            /// <summary>Writes one model class.</summary>
            private sealed partial class ClassWriter
            {
                private readonly ModelClassSpec _class;
                private readonly ModelSpec _m;
                private readonly CancellationToken _ct;
                private readonly SourceWriter _w = new SourceWriter();

                /// <summary>Extra files of this partial class (the parts of a split embedding table), in order.</summary>
                public List<string> Parts { get; } = new List<string>();

                // Sizes, fixed at generation time.
                private readonly int _i;    // layer-0 input features
                private readonly int _h;    // hidden size
                private readonly int _hp;   // hidden size padded to a multiple of 8 (one 8-row weight panel)
                private readonly int _r;    // rows of all three gates: 3·Hp
                private readonly int _l;    // layers
                private readonly int _d;    // directions
                private readonly int _dh;   // features per output step: D·H
                private readonly int _chunk; // steps whose input projections are computed together
                private readonly bool _cho;
                private readonly bool _quantized; // int8 weights (w8a32 or w8a8)
                private readonly bool _w8a8;      // int8 activations too: integer dot products
                private readonly bool _skipLocalsInit; // the project allows unsafe code: stack scratch is not zeroed

                public ClassWriter(ModelClassSpec @class, ModelSpec model, bool skipLocalsInit, CancellationToken ct)
                {
                    _skipLocalsInit = skipLocalsInit;
                    _class = @class;
                    _m = model;
                    _ct = ct;
                    _i = model.InputSize;
                    _h = model.HiddenSize;
                    _hp = (_h + 7) / 8 * 8;
                    _r = 3 * _hp;
                    _l = model.Layers;
                    _d = model.Directions;
                    _dh = _d * _h;
                    _cho = model.Cho2014;
                    _quantized = model.Quantization != QuantizationKind.None;
                    _w8a8 = model.Quantization == QuantizationKind.W8A8;
                    _chunk = Math.Max(4, Math.Min(64, 4096 / _r / 4 * 4));
                }

                private int K(int layer) => layer == 0 ? _i : _dh;

                // Before a method whose stack buffers are all written before they are read: when the project allows unsafe code,
                // [SkipLocalsInit] spares zeroing them on every call (the S3 w8a8 step's 1.8 KB of scratch cost 8 % of it).
                private void SkipLocalsInit()
                {
                    if (_skipLocalsInit)
                    {
                        _w.Line("[SkipLocalsInit]");
                    }
                }

                /// <summary>
                /// Whether <c>Step</c> gets the register-resident form (<see cref="WriteRegisterStep"/>): float weights, PyTorch's
                /// convention, one direction, Hp of 8 (AVX2 + FMA) or 16 (AVX-512) and at most 64 input features (fully unrolled).
                /// </summary>
                private bool RegisterStep => !_quantized && !_cho && _d == 1 && (_hp == 8 || _hp == 16) && _i <= 64;

                /// <summary>The path a register step is written for: one gate per vector, so AVX-512 for Hp = 16, AVX2 + FMA for Hp = 8.</summary>
                private Isa RegisterStepIsa => _hp == 16 ? Avx512 : Avx2;

                private static string Suffix(int layer, int direction) => "L" + N(layer) + (direction == 1 ? "R" : "");

                private string StackScratchLimit => N(MaxStackFloats);

                public string Write()
                {
                    _w.Line("// <auto-generated/>");
                    _w.Line("// Generated by TinyGru.Generators from " + SafeComment(_class.ModelPath ?? "") + ". Do not edit: change the model file instead.");
                    _w.Line("#nullable enable");
                    _w.Line();
                    _w.Line("using System;");
                    _w.Line("using System.Diagnostics.CodeAnalysis;");
                    _w.Line("using System.Runtime.CompilerServices;");
                    _w.Line("using System.Runtime.InteropServices;");
                    _w.Line("using System.Runtime.Intrinsics;");
                    _w.Line("using System.Runtime.Intrinsics.Arm;");
                    _w.Line("using System.Runtime.Intrinsics.X86;");
                    _w.Line();
                    if (_class.Namespace is not null)
                    {
                        _w.Open("namespace " + _class.Namespace);
                    }

                    WriteClassDoc();
                    _w.Open("partial class " + _class.Name);
                    WriteConstants();
                    WritePublicApi();
                    WriteState();
                    WriteSweeps();
                    WriteKernels();
                    if (RegisterStep)
                    {
                        for (int layer = 0; layer < _l; layer++)
                        {
                            WriteRegisterStep(layer);
                        }
                    }

                    WriteActivations();
                    if (_m.Text is not null)
                    {
                        WriteTokenizer();
                    }

                    WriteWeights();
                    _w.Close();
                    if (_class.Namespace is not null)
                    {
                        _w.Close();
                    }

                    return _w.ToString();
                }

                private static string SafeComment(string text) => text.Replace("\r", " ").Replace("\n", " ");

                private static string Xml(string text) => SafeComment(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

                private void WriteClassDoc()
                {
                    string kind = _cho ? "Cho et al. 2014 (reset before the recurrent product)" : "PyTorch (torch.nn.GRU, reset after the recurrent product)";
                    _w.Line("/// <summary>");
                    _w.Line("/// A GRU network compiled from <c>" + Xml(_class.ModelPath ?? "") + "</c>: " +
                            (_m.HasEmbedding ? "embedding " + N(_m.VocabularySize) + " × " + N(_i) + " → " : "") +
                            N(_l) + " layer(s) × " + N(_d) + " direction(s) of GRU(" + N(_i) + " → " + N(_h) + "), " + kind + " convention" +
                            (_m.HeadOutputs > 0 ? " → linear head with " + N(_m.HeadOutputs) + " output(s)" + (_m.HeadSigmoid ? " and sigmoid" : "") : "") + ".");
                    if (_quantized)
                    {
                        _w.Line("/// Quantized: " + _m.QuantizationName + " (see <see cref=\"QuantizationMode\"/>); weights are static int8 data, eight per 64-bit literal.");
                    }

                    _w.Line("/// Producer: " + Xml(_m.Producer) + (_m.Source is null ? "" : "; source: " + Xml(_m.Source)) + ".");
                    _w.Line("/// Every method is allocation-free and thread-safe (all state lives in the caller's spans and <see cref=\"State\"/> values).");
                    _w.Line("/// </summary>");
                }

                private void WriteConstants()
                {
                    _w.Line("/// <summary>Features per step the first GRU layer reads" + (_m.HasEmbedding ? " (the embedding dimension)" : "") + ".</summary>");
                    _w.Line("public const int InputSize = " + N(_i) + ";");
                    _w.Line();
                    _w.Line("/// <summary>State size H of every layer and direction.</summary>");
                    _w.Line("public const int HiddenSize = " + N(_h) + ";");
                    _w.Line();
                    _w.Line("/// <summary>Number of stacked GRU layers.</summary>");
                    _w.Line("public const int Layers = " + N(_l) + ";");
                    _w.Line();
                    _w.Line("/// <summary>1, or 2 for a bidirectional network.</summary>");
                    _w.Line("public const int Directions = " + N(_d) + ";");
                    _w.Line();
                    _w.Line("/// <summary>Features per output step: Directions · HiddenSize (forward first, then reverse).</summary>");
                    _w.Line("public const int OutputSize = " + N(_dh) + ";");
                    _w.Line();
                    _w.Line("/// <summary>Final states of a sequence: Layers · Directions · HiddenSize floats, index (layer · Directions + direction) · HiddenSize.</summary>");
                    _w.Line("public const int StateSize = " + N(_l * _d * _h) + ";");
                    _w.Line();
                    if (_m.HasEmbedding)
                    {
                        _w.Line("/// <summary>Number of token ids: valid ids are 0 … VocabularySize − 1.</summary>");
                        _w.Line("public const int VocabularySize = " + N(_m.VocabularySize) + ";");
                        _w.Line();
                    }

                    if (_m.HeadOutputs > 0)
                    {
                        _w.Line("/// <summary>Number of head outputs.</summary>");
                        _w.Line("public const int HeadOutputs = " + N(_m.HeadOutputs) + ";");
                        _w.Line();
                    }

                    if (_m.Text is { } text)
                    {
                        _w.Line("/// <summary>The id of the unknown token, used for every word not in the vocabulary.</summary>");
                        _w.Line("public const int UnknownTokenId = " + N(text.UnknownId) + ";");
                        _w.Line();
                        _w.Line("/// <summary>The id of the padding token.</summary>");
                        _w.Line("public const int PaddingTokenId = " + N(text.PaddingId) + ";");
                        _w.Line();
                    }

                    _w.Line("/// <summary>");
                    _w.Line("/// The largest absolute error of the vectorized tanh used inside the cells (a " + Activation.Degrees + " rational approximation,");
                    _w.Line("/// input clamped to ±" + Activation.Clamp.ToString("0.####", CultureInfo.InvariantCulture) + "); sigmoid(x) = (1 + tanh(x / 2)) / 2 has half of it. Checked on a dense grid over ±10 (and random vectors) by the generator's tests.");
                    if (_w8a8)
                    {
                        _w.Line("/// w8a8 models round the state to multiples of 1/127 every step, so they use a cheaper rational than float models (1e-6).");
                    }

                    _w.Line("/// </summary>");
                    _w.Line("public const float ActivationMaxError = " + Activation.MaxError + ";");
                    _w.Line();
                    _w.Line("// Hidden size padded to whole 8-row weight panels; gate g of a cell occupies rows g·Hp … g·Hp + H − 1.");
                    _w.Line("private const int Hp = " + N(_hp) + ";");
                    _w.Line();
                    _w.Line("// Rows of the three gates (r, z, n) of one cell: 3·Hp.");
                    _w.Line("private const int GateRows = " + N(_r) + ";");
                    _w.Line();
                    _w.Line("// Steps whose input projections are computed together (" + N(_chunk) + " · GateRows floats on the stack).");
                    _w.Line("private const int ChunkSteps = " + N(_chunk) + ";");
                    _w.Line();
                    _w.Line("/// <summary>");
                    _w.Line("/// How the GRU computes: <c>float32</c>; <c>w8a32</c> (int8 weights with one scale per row, widened to float on the fly; float activations);");
                    _w.Line("/// or <c>w8a8</c> (int8 weights, and per step the input quantized with a dynamic scale max|x|/127 and the state with 1/127;");
                    _w.Line("/// int32 dot products; one float rescale per row). The embedding (int8 rows, dequantized on lookup) and the head run in float.");
                    _w.Line("/// </summary>");
                    _w.Line("public const string QuantizationMode = \"" + _m.QuantizationName + "\";");
                    _w.Line();
                    _w.Line("/// <summary>");
                    _w.Line("/// The instruction set the kernels run on this machine: <c>avx512</c>, <c>avx2</c> (AVX2 + FMA), <c>advsimd</c> (ARM NEON),");
                    _w.Line("/// <c>vector128</c> (portable 128-bit) or <c>scalar</c>. Chosen by <c>IsSupported</c> checks the JIT folds to constants.");
                    if (_w8a8)
                    {
                        _w.Line("/// This w8a8 model's integer dot products run on <see cref=\"IntegerDotPath\"/>.");
                    }
                    else if (_quantized)
                    {
                        _w.Line("/// This w8a32 model widens its int8 weights to float inside the same kernels (vpmovsxbd + vcvtdq2ps, sxtl + scvtf).");
                    }

                    _w.Line("/// </summary>");
                    _w.Line("public static string SimdPath =>");
                    _w.Line("    Avx512F.IsSupported ? \"avx512\"");
                    _w.Line("    : Avx2.IsSupported && Fma.IsSupported ? \"avx2\"");
                    _w.Line("    : AdvSimd.IsSupported ? \"advsimd\"");
                    _w.Line("    : Vector128.IsHardwareAccelerated ? \"vector128\"");
                    _w.Line("    : \"scalar\";");
                    _w.Line();
                    if (_w8a8)
                    {
                        _w.Line("/// <summary>");
                        _w.Line("/// The integer dot-product kernel of this w8a8 model on this machine, under the float path <see cref=\"SimdPath\"/>:");
                        _w.Line("/// <c>avxvnni</c> vpdpbusd (AVX-VNNI, 256-bit: four u8 × s8 products summed into each int32 lane; the activations are offset");
                        _w.Line("/// by 128 to make them unsigned and a per-row constant −128 · Σ w starts each sum, so the result is the signed dot product),");
                        _w.Line("/// <c>avx512bw</c> (512-bit) and <c>avx2</c> (256-bit) vpmaddubsw(|x|, w xor sign(x)) + vpmaddwd (exact: |x| ≤ 127 and");
                        _w.Line("/// |w xor sign(x)| ≤ 128, so int16 pairs never saturate; each sum starts at Σ |x| over the negative x, which the xor's −1 takes");
                        _w.Line("/// back), <c>advsimd-dp</c> sdot (e.g. Raspberry Pi 5), <c>advsimd</c> smull + sadalp (Pi 4),");
                        _w.Line("/// <c>vector128</c> widening multiplies, <c>scalar</c> int loops: the same int32 sums on every path.");
                        _w.Line("/// </summary>");
                        _w.Line("public static string IntegerDotPath =>");
                        _w.Line("    Avx512F.IsSupported ? (AvxVnni.IsSupported ? \"avxvnni\" : Avx512BW.IsSupported ? \"avx512bw\" : \"avx2\")");
                        _w.Line("    : Avx2.IsSupported && Fma.IsSupported ? (AvxVnni.IsSupported ? \"avxvnni\" : \"avx2\")");
                        _w.Line("    : AdvSimd.IsSupported ? (Dp.IsSupported ? \"advsimd-dp\" : \"advsimd\")");
                        _w.Line("    : Vector128.IsHardwareAccelerated ? \"vector128\"");
                        _w.Line("    : \"scalar\";");
                        _w.Line();
                    }
                }

                private bool NeedsLayerCopy => _l > 1 && _d == 2;

                private void WritePublicApi()
                {
                    // ScratchLength
                    _w.Line("/// <summary>");
                    _w.Line("/// Floats of caller scratch <see cref=\"Forward(ReadOnlySpan{float}, Span{float}, Span{float}, ReadOnlySpan{float}, Span{float})\"/> needs for");
                    _w.Line("/// <paramref name=\"steps\"/> steps" + (NeedsLayerCopy ? " (a copy of one layer's outputs, read by both directions of the next layer)" : " (always 0 for this model)") + ".");
                    _w.Line("/// </summary>");
                    _w.Line("/// <param name=\"steps\">The sequence length.</param>");
                    _w.Line("/// <returns>The scratch length in floats.</returns>");
                    _w.Line("public static int ScratchLength(int steps) => " + (NeedsLayerCopy ? "steps * OutputSize" : "0") + ";");
                    _w.Line();

                    // Forward
                    _w.Line("/// <summary>");
                    _w.Line("/// Runs the GRU stack over one whole sequence. The input projection of every layer is computed for blocks of");
                    _w.Line("/// steps as one matrix product; the recurrence then runs step by step.");
                    _w.Line("/// </summary>");
                    _w.Line("/// <param name=\"inputs\">T · InputSize floats: the steps' feature vectors, in order (T ≥ 1).</param>");
                    _w.Line("/// <param name=\"outputs\">T · OutputSize floats, receives the last layer's output at every step (forward, then reverse).</param>");
                    _w.Line("/// <param name=\"finalStates\">StateSize floats, receives each layer's and direction's final state (index (layer · Directions + direction) · HiddenSize).</param>");
                    _w.Line("/// <param name=\"initialStates\">StateSize floats of initial states in the same layout, or empty for zeros.</param>");
                    _w.Line("/// <param name=\"scratch\">At least <see cref=\"ScratchLength\"/>(T) floats, or empty to use the stack (up to " + StackScratchLimit + " floats).</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\">A span has the wrong length.</exception>");
                    _w.Open("public static void Forward(ReadOnlySpan<float> inputs, Span<float> outputs, Span<float> finalStates, ReadOnlySpan<float> initialStates = default, Span<float> scratch = default)");
                    _w.Line("if (inputs.IsEmpty || inputs.Length % InputSize != 0)");
                    _w.Line("    throw new ArgumentException($\"inputs must hold a positive multiple of InputSize ({InputSize}) floats, not {inputs.Length}\", nameof(inputs));");
                    _w.Line("int steps = inputs.Length / InputSize;");
                    _w.Line("if (outputs.Length != steps * OutputSize)");
                    _w.Line("    throw new ArgumentException($\"outputs must hold steps · OutputSize = {steps * OutputSize} floats, not {outputs.Length}\", nameof(outputs));");
                    _w.Line("if (finalStates.Length != StateSize)");
                    _w.Line("    throw new ArgumentException($\"finalStates must hold StateSize = {StateSize} floats, not {finalStates.Length}\", nameof(finalStates));");
                    _w.Line("if (!initialStates.IsEmpty && initialStates.Length != StateSize)");
                    _w.Line("    throw new ArgumentException($\"initialStates must be empty or hold StateSize = {StateSize} floats, not {initialStates.Length}\", nameof(initialStates));");
                    if (NeedsLayerCopy)
                    {
                        _w.Line("int need = ScratchLength(steps);");
                        _w.Line("if (scratch.Length < need)");
                        _w.Open();
                        _w.Line("if (!scratch.IsEmpty || need > " + StackScratchLimit + ")");
                        _w.Line("    throw new ArgumentException($\"scratch must hold ScratchLength(steps) = {need} floats (the stack serves at most " + StackScratchLimit + "), not {scratch.Length}\", nameof(scratch));");
                        _w.Line("ForwardCore(inputs, steps, outputs, finalStates, initialStates, stackalloc float[need]);");
                        _w.Line("return;");
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("ForwardCore(inputs, steps, outputs, finalStates, initialStates, scratch);");
                    _w.Close();
                    _w.Line();

                    // ForwardCore
                    _w.Line("// The whole stack over validated spans: layer by layer, each direction a sweep over the sequence.");
                    _w.Open("private static void ForwardCore(ReadOnlySpan<float> inputs, int steps, Span<float> outputs, Span<float> finalStates, ReadOnlySpan<float> initialStates, Span<float> scratch)");
                    _w.Line("Span<float> projections = stackalloc float[ChunkSteps * GateRows];");
                    _w.Line("Span<float> work = stackalloc float[Hp + GateRows + Hp];");
                    for (int layer = 0; layer < _l; layer++)
                    {
                        string source = layer == 0 ? "inputs" : (NeedsLayerCopy ? "scratch" : "outputs");
                        _w.Line();
                        _w.Line("// Layer " + N(layer) + ": reads " + N(K(layer)) + " features per step from " +
                                (layer == 0 ? "the inputs" : NeedsLayerCopy ? "a copy of layer " + N(layer - 1) + "'s outputs" : "layer " + N(layer - 1) + "'s outputs, in place (each block is projected before it is overwritten)") + ".");
                        if (layer > 0 && NeedsLayerCopy)
                        {
                            _w.Line("outputs.CopyTo(scratch);");
                        }

                        for (int dir = 0; dir < _d; dir++)
                        {
                            int stateIndex = (layer * _d + dir) * _h;
                            _w.Line("Sweep" + Suffix(layer, dir) + "(" + source + ", steps, outputs, initialStates.IsEmpty ? default : initialStates.Slice(" + N(stateIndex) + ", HiddenSize), finalStates.Slice(" + N(stateIndex) + ", HiddenSize), projections, work);");
                        }
                    }

                    _w.Close();
                    _w.Line();

                    if (_d == 1)
                    {
                        WriteStepApi();
                    }

                    if (_m.HeadOutputs > 0)
                    {
                        WritePredictApi();
                    }
                }

                private void WriteStepApi()
                {
                    _w.Line("/// <summary>");
                    _w.Line("/// Advances <paramref name=\"state\"/> by one step: streaming inference for data arriving one sample at a time.");
                    _w.Line("/// After the call, <see cref=\"State.Output\"/> holds the last layer's new state.");
                    _w.Line("/// </summary>");
                    _w.Line("/// <param name=\"state\">The caller-owned state of every layer; start from <c>default</c> or <see cref=\"State.Reset\"/>.</param>");
                    _w.Line("/// <param name=\"input\">InputSize floats.</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\"><paramref name=\"input\"/> does not hold InputSize floats.</exception>");
                    _w.Open("public static void Step(ref State state, ReadOnlySpan<float> input)");
                    _w.Line("if (input.Length != InputSize)");
                    _w.Line("    throw new ArgumentException($\"input must hold InputSize = {InputSize} floats, not {input.Length}\", nameof(input));");
                    _w.Line("StepCore(ref state, ref MemoryMarshal.GetReference(input));");
                    _w.Close();
                    _w.Line();
                    if (_m.HasEmbedding)
                    {
                        _w.Line("/// <summary>Advances <paramref name=\"state\"/> by one token: its embedding row is the step's input.</summary>");
                        _w.Line("/// <param name=\"state\">The caller-owned state of every layer.</param>");
                        _w.Line("/// <param name=\"tokenId\">A token id, 0 … VocabularySize − 1.</param>");
                        _w.Line("/// <exception cref=\"ArgumentException\"><paramref name=\"tokenId\"/> is outside the vocabulary.</exception>");
                        if (_quantized)
                        {
                            SkipLocalsInit();
                        }

                        _w.Open("public static void Step(ref State state, int tokenId)");
                        _w.Line("if ((uint)tokenId >= VocabularySize)");
                        _w.Line("    throw new ArgumentException($\"token id {tokenId} is outside the vocabulary 0 … {VocabularySize - 1}\", nameof(tokenId));");
                        if (_quantized)
                        {
                            _w.Line("Span<float> row = stackalloc float[InputSize];");
                        }

                        _w.Line("StepCore(ref state, ref " + EmbeddingRowOf("tokenId") + ");");
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("// One step of every layer; layer k > 0 reads layer k − 1's new state.");
                    SkipLocalsInit();
                    _w.Open("private static void StepCore(ref State state, ref float input)");
                    if (RegisterStep)
                    {
                        _w.Line("if (" + RegisterStepIsa.Condition + ")");
                        _w.Open();
                        _w.Line("// Hp = " + N(_hp) + ": every gate fits in one " + N(RegisterStepIsa.Width * 32) + "-bit register, so each layer's step runs in registers, with");
                        _w.Line("// no scratch memory between the products, σ, tanh and the update (a streaming step is one dependency chain).");
                        for (int layer = 0; layer < _l; layer++)
                        {
                            string x = layer == 0 ? "ref input" : "ref Unsafe.Add(ref state.First, " + N((layer - 1) * _hp) + ")";
                            _w.Line("StepInRegisters" + Suffix(layer, 0) + "(" + x + ", ref Unsafe.Add(ref state.First, " + N(layer * _hp) + "));");
                        }

                        _w.Line("return;");
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("Span<float> work = stackalloc float[GateRows + GateRows + Hp];");
                    _w.Line("ref float projection = ref MemoryMarshal.GetReference(work);");
                    _w.Line("ref float recurrent = ref Unsafe.Add(ref projection, GateRows);");
                    _w.Line("ref float h = ref state.First;");
                    for (int layer = 0; layer < _l; layer++)
                    {
                        string x = layer == 0 ? "ref input" : "ref Unsafe.Add(ref h, " + N((layer - 1) * _hp) + ")";
                        _w.Line("// Layer " + N(layer) + ": projection = W_ih·x + b, then the cell update of its state.");
                        _w.Line("ProjectOne" + Suffix(layer, 0) + "(" + x + ", ref projection);");
                        _w.Line("Cell" + Suffix(layer, 0) + "(ref projection, ref Unsafe.Add(ref h, " + N(layer * _hp) + "), ref recurrent);");
                    }

                    _w.Close();
                    _w.Line();
                }

                private void WritePredictApi()
                {
                    int o = _m.HeadOutputs;
                    bool tokens = _m.HasEmbedding;
                    string what = _m.HeadSigmoid ? "probabilities (sigmoid of the logits)" : "outputs (the logits: the head has no activation)";
                    // Embedding models classify token ids; feature models (sensor data) classify T · InputSize floats.
                    string input = tokens ? "ReadOnlySpan<int> tokenIds" : "ReadOnlySpan<float> inputs";
                    string arg = tokens ? "tokenIds" : "inputs";
                    string cref = tokens ? "ReadOnlySpan{int}" : "ReadOnlySpan{float}";
                    string inputDoc = tokens
                        ? "The tokens, at least one, each 0 … VocabularySize − 1"
                        : "T · InputSize floats: the steps' feature vectors, in order (T ≥ 1)";
                    _w.Line("/// <summary>");
                    _w.Line(tokens
                        ? "/// Classifies a token sequence: embedding → GRU stack → linear head on the last layer's final state" + (_d == 2 ? "s (forward, then reverse)" : "") + "."
                        : "/// Classifies a sequence of feature vectors: GRU stack → linear head on the last layer's final state" + (_d == 2 ? "s (forward, then reverse)" : "") + ".");
                    _w.Line("/// </summary>");
                    _w.Line("/// <param name=\"" + arg + "\">" + inputDoc + (_d == 2 ? " (at most " + N(MaxStackTokens) + " steps)" : "") + ".</param>");
                    _w.Line("/// <param name=\"logits\">HeadOutputs floats, receives the head's linear outputs.</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\">The sequence is empty" + (_d == 2 ? " or too long" : "")
                        + (tokens ? ", an id is outside the vocabulary" : ", its length is not a multiple of InputSize") + ", or <paramref name=\"logits\"/> has the wrong length.</exception>");
                    _w.Open("public static void PredictLogits(" + input + ", Span<float> logits)");
                    if (tokens)
                    {
                        _w.Line("if (tokenIds.IsEmpty)");
                        _w.Line("    throw new ArgumentException(\"the token sequence is empty\", nameof(tokenIds));");
                    }
                    else
                    {
                        _w.Line("if (inputs.IsEmpty || inputs.Length % InputSize != 0)");
                        _w.Line("    throw new ArgumentException($\"inputs must hold a positive multiple of InputSize ({InputSize}) floats, not {inputs.Length}\", nameof(inputs));");
                    }

                    _w.Line("if (logits.Length != HeadOutputs)");
                    _w.Line("    throw new ArgumentException($\"logits must hold HeadOutputs = {HeadOutputs} floats, not {logits.Length}\", nameof(logits));");
                    if (tokens)
                    {
                        _w.Line("for (int t = 0; t < tokenIds.Length; t++)");
                        _w.Open();
                        _w.Line("int id = tokenIds[t];");
                        _w.Line("if ((uint)id >= VocabularySize)");
                        _w.Line("    throw new ArgumentException($\"token id {id} is outside the vocabulary 0 … {VocabularySize - 1}\", nameof(tokenIds));");
                        _w.Close();
                    }

                    _w.Line();
                    string steps = tokens ? "tokenIds.Length" : "inputs.Length / InputSize";
                    string stepInput = tokens ? "ref " + EmbeddingRowOf("tokenIds[t]") : "ref Unsafe.Add(ref MemoryMarshal.GetReference(inputs), t * InputSize)";
                    if (_d == 1)
                    {
                        _w.Line(tokens
                            ? "// Stream the tokens through the cells, then read the last layer's state out through the head."
                            : "// Stream the steps through the cells, then read the last layer's state out through the head.");
                        _w.Line("State state = default;");
                        if (tokens && _quantized)
                        {
                            _w.Line("Span<float> row = stackalloc float[InputSize];");
                        }

                        _w.Line("for (int t = 0; t < " + steps + "; t++)");
                        _w.Line("    StepCore(ref state, " + stepInput + ");");
                        _w.Line("Head(state.Output, logits);");
                    }
                    else if (tokens)
                    {
                        _w.Line("// A bidirectional stack needs the whole sequence: embed it on the stack, run Forward, read the last layer's two final states.");
                        _w.Line("if (tokenIds.Length > " + N(MaxStackTokens) + ")");
                        _w.Line("    throw new ArgumentException($\"at most " + N(MaxStackTokens) + " tokens fit the stack buffers, not {tokenIds.Length}; embed them and call Forward with your own buffers\", nameof(tokenIds));");
                        _w.Line("int steps = tokenIds.Length;");
                        _w.Line("Span<float> buffer = stackalloc float[steps * (InputSize + OutputSize) + ScratchLength(steps) + StateSize];");
                        _w.Line("Span<float> inputs = buffer.Slice(0, steps * InputSize);");
                        _w.Line("Span<float> outputs = buffer.Slice(steps * InputSize, steps * OutputSize);");
                        _w.Line("Span<float> scratch = buffer.Slice(steps * (InputSize + OutputSize), ScratchLength(steps));");
                        _w.Line("Span<float> finalStates = buffer.Slice(buffer.Length - StateSize);");
                        _w.Line("for (int t = 0; t < steps; t++)");
                        _w.Line(_quantized
                            ? "    EmbeddingRow(tokenIds[t], inputs.Slice(t * InputSize, InputSize));"
                            : "    MemoryMarshal.CreateReadOnlySpan(ref EmbeddingRow(tokenIds[t]), InputSize).CopyTo(inputs.Slice(t * InputSize));");
                        _w.Line("ForwardCore(inputs, steps, outputs, finalStates, default, scratch);");
                        _w.Line("Head(finalStates.Slice(" + N((_l - 1) * _d * _h) + ", OutputSize), logits);");
                    }
                    else
                    {
                        _w.Line("// A bidirectional stack needs the whole sequence: run Forward with stack buffers, read the last layer's two final states.");
                        _w.Line("int steps = inputs.Length / InputSize;");
                        _w.Line("if (steps > " + N(MaxStackTokens) + ")");
                        _w.Line("    throw new ArgumentException($\"at most " + N(MaxStackTokens) + " steps fit the stack buffers, not {steps}; call Forward with your own buffers\", nameof(inputs));");
                        _w.Line("Span<float> buffer = stackalloc float[steps * OutputSize + ScratchLength(steps) + StateSize];");
                        _w.Line("Span<float> outputs = buffer.Slice(0, steps * OutputSize);");
                        _w.Line("Span<float> scratch = buffer.Slice(steps * OutputSize, ScratchLength(steps));");
                        _w.Line("Span<float> finalStates = buffer.Slice(buffer.Length - StateSize);");
                        _w.Line("ForwardCore(inputs, steps, outputs, finalStates, default, scratch);");
                        _w.Line("Head(finalStates.Slice(" + N((_l - 1) * _d * _h) + ", OutputSize), logits);");
                    }

                    _w.Close();
                    _w.Line();

                    string sequence = tokens ? "a token sequence" : "a sequence of feature vectors";
                    _w.Line("/// <summary>Classifies " + sequence + " and applies the head's activation: " + what + ".</summary>");
                    _w.Line("/// <param name=\"" + arg + "\">" + inputDoc + ".</param>");
                    _w.Line("/// <param name=\"outputs\">HeadOutputs floats, receives the " + what + ".</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\">As for <see cref=\"PredictLogits(" + cref + ", Span{float})\"/>.</exception>");
                    _w.Open("public static void Predict(" + input + ", Span<float> outputs)");
                    _w.Line("PredictLogits(" + arg + ", outputs);");
                    if (_m.HeadSigmoid)
                    {
                        _w.Line("for (int i = 0; i < outputs.Length; i++)");
                        _w.Line("    outputs[i] = 1f / (1f + MathF.Exp(-outputs[i]));");
                    }

                    _w.Close();
                    _w.Line();
                    if (o == 1)
                    {
                        _w.Line("/// <summary>Classifies " + sequence + ": the head's single linear output (logit).</summary>");
                        _w.Line("/// <param name=\"" + arg + "\">" + inputDoc + ".</param>");
                        _w.Line("/// <returns>The logit.</returns>");
                        _w.Line("/// <exception cref=\"ArgumentException\">As for <see cref=\"PredictLogits(" + cref + ", Span{float})\"/>.</exception>");
                        _w.Open("public static float PredictLogit(" + input + ")");
                        _w.Line("float logit = 0;");
                        _w.Line("PredictLogits(" + arg + ", MemoryMarshal.CreateSpan(ref logit, 1));");
                        _w.Line("return logit;");
                        _w.Close();
                        _w.Line();
                        _w.Line("/// <summary>Classifies " + sequence + ": the head's single output after its activation (" + what + ").</summary>");
                        _w.Line("/// <param name=\"" + arg + "\">" + inputDoc + ".</param>");
                        _w.Line("/// <returns>The " + (_m.HeadSigmoid ? "probability" : "output") + ".</returns>");
                        _w.Line("/// <exception cref=\"ArgumentException\">As for <see cref=\"PredictLogits(" + cref + ", Span{float})\"/>.</exception>");
                        _w.Line("public static float Predict(" + input + ") => " + (_m.HeadSigmoid ? "1f / (1f + MathF.Exp(-PredictLogit(" + arg + ")));" : "PredictLogit(" + arg + ");"));
                        _w.Line();
                    }

                    if (_m.Text is not null)
                    {
                        WriteTextPredictApi();
                    }

                    // Head
                    _w.Line("// The linear head: logits[o] = head.bias[o] + Σ_i head.weight[o, i] · features[i].");
                    _w.Open("private static void Head(ReadOnlySpan<float> features, Span<float> logits)");
                    _w.Line("ReadOnlySpan<float> weight = HeadWeight;");
                    _w.Line("ReadOnlySpan<float> bias = HeadBias;");
                    _w.Line("for (int o = 0; o < HeadOutputs; o++)");
                    _w.Open();
                    _w.Line("ReadOnlySpan<float> row = weight.Slice(o * OutputSize, OutputSize);");
                    _w.Line("float sum = bias[o];");
                    _w.Line("for (int i = 0; i < OutputSize; i++)");
                    _w.Line("    sum += row[i] * features[i];");
                    _w.Line("logits[o] = sum;");
                    _w.Close();
                    _w.Close();
                    _w.Line();
                    if (tokens)
                    {
                        if (_quantized)
                        {
                            _w.Line("// The embedding row of a validated token id, dequantized into `row` (InputSize floats): q · scale, exactly the model file's values.");
                            _w.Open("private static ref float EmbeddingRow(int tokenId, Span<float> row)");
                            _w.Line("ref sbyte q = ref " + EmbeddingRowRef("tokenId") + ";");
                            _w.Line("float scale = EmbeddingScales[tokenId];");
                            _w.Line("ref float r = ref MemoryMarshal.GetReference(row);");
                            _w.Line("for (int i = 0; i < InputSize; i++)");
                            _w.Line("    Unsafe.Add(ref r, i) = Unsafe.Add(ref q, i) * scale;");
                            _w.Line("return ref r;");
                            _w.Close();
                        }
                        else
                        {
                            _w.Line("// The embedding row of a validated token id (row-major [VocabularySize, InputSize] static data).");
                            _w.Line("private static ref float EmbeddingRow(int tokenId) => ref " + EmbeddingRowRef("tokenId") + ";");
                        }

                        _w.Line();
                    }
                }

                // The embedding row of a token id as a ref expression (int8 models dequantize into a `row` buffer the caller declared).
                private string EmbeddingRowOf(string id) => _quantized ? "EmbeddingRow(" + id + ", row)" : "EmbeddingRow(" + id + ")";

                private int MaxStackTokens => Math.Max(1, (MaxStackFloats - _l * _d * _h) / (_i + _dh + (NeedsLayerCopy ? _dh : 0)));

                private void WriteTextPredictApi()
                {
                    int o = _m.HeadOutputs;
                    _w.Line("/// <summary>");
                    _w.Line("/// Classifies raw text: tokenized with the model's tokenizer (<c>" + Xml(_m.Text!.TokenizerKind) + "</c>" + (_m.Text.Lowercase ? ", lower-cased" : "") + "), looked up");
                    _w.Line("/// in the vocabulary (unknown words map to UnknownTokenId), then as <see cref=\"PredictLogits(ReadOnlySpan{int}, Span{float})\"/>. Allocation-free.");
                    _w.Line("/// </summary>");
                    _w.Line("/// <param name=\"text\">The text; it must hold at least one token.</param>");
                    _w.Line("/// <param name=\"logits\">HeadOutputs floats, receives the head's linear outputs.</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\">The text has no token" + (_d == 2 ? " or too many" : "") + ", or <paramref name=\"logits\"/> has the wrong length.</exception>");
                    _w.Open("public static void PredictLogits(ReadOnlySpan<char> text, Span<float> logits)");
                    _w.Line("if (logits.Length != HeadOutputs)");
                    _w.Line("    throw new ArgumentException($\"logits must hold HeadOutputs = {HeadOutputs} floats, not {logits.Length}\", nameof(logits));");
                    if (_d == 1)
                    {
                        _w.Line("// Stream tokens straight from the tokenizer into the cells: no buffer, any length.");
                        _w.Line("State state = default;");
                        if (_quantized)
                        {
                            _w.Line("Span<float> row = stackalloc float[InputSize];");
                        }

                        _w.Line("int position = 0, pending = -1, count = 0;");
                        _w.Line("for (int id = NextToken(text, ref position, ref pending); id >= 0; id = NextToken(text, ref position, ref pending), count++)");
                        _w.Line("    StepCore(ref state, ref " + EmbeddingRowOf("id") + ");");
                        _w.Line("if (count == 0)");
                        _w.Line("    throw new ArgumentException(\"the text holds no token\", nameof(text));");
                        _w.Line("Head(state.Output, logits);");
                    }
                    else
                    {
                        _w.Line("int count = CountTokens(text);");
                        _w.Line("if (count == 0 || count > " + N(MaxStackTokens) + ")");
                        _w.Line("    throw new ArgumentException($\"the text holds {count} tokens; 1 … " + N(MaxStackTokens) + " fit the stack buffers\", nameof(text));");
                        _w.Line("Span<int> ids = stackalloc int[count];");
                        _w.Line("Tokenize(text, ids);");
                        _w.Line("PredictLogits(ids, logits);");
                    }

                    _w.Close();
                    _w.Line();
                    if (o == 1)
                    {
                        _w.Line("/// <summary>Classifies raw text: the head's single output after its activation" + (_m.HeadSigmoid ? " (the probability)" : "") + ".</summary>");
                        _w.Line("/// <param name=\"text\">The text; it must hold at least one token.</param>");
                        _w.Line("/// <returns>The " + (_m.HeadSigmoid ? "probability" : "output") + ".</returns>");
                        _w.Line("/// <exception cref=\"ArgumentException\">The text has no token.</exception>");
                        _w.Open("public static float Predict(ReadOnlySpan<char> text)");
                        _w.Line("float logit = 0;");
                        _w.Line("PredictLogits(text, MemoryMarshal.CreateSpan(ref logit, 1));");
                        _w.Line("return " + (_m.HeadSigmoid ? "1f / (1f + MathF.Exp(-logit))" : "logit") + ";");
                        _w.Close();
                        _w.Line();
                    }

                    _w.Line("/// <summary>Tokenizes <paramref name=\"text\"/> and writes the token ids (unknown words → UnknownTokenId).</summary>");
                    _w.Line("/// <param name=\"text\">The text.</param>");
                    _w.Line("/// <param name=\"tokenIds\">Receives the ids; <see cref=\"CountTokens\"/> tells how many there are (never more than text.Length).</param>");
                    _w.Line("/// <returns>The number of ids written.</returns>");
                    _w.Line("/// <exception cref=\"ArgumentException\"><paramref name=\"tokenIds\"/> is too short.</exception>");
                    _w.Open("public static int Tokenize(ReadOnlySpan<char> text, Span<int> tokenIds)");
                    _w.Line("int position = 0, pending = -1, count = 0;");
                    _w.Line("for (int id = NextToken(text, ref position, ref pending); id >= 0; id = NextToken(text, ref position, ref pending))");
                    _w.Open();
                    _w.Line("if (count == tokenIds.Length)");
                    _w.Line("    throw new ArgumentException($\"tokenIds holds {tokenIds.Length} ids; the text has {CountTokens(text)} tokens\", nameof(tokenIds));");
                    _w.Line("tokenIds[count++] = id;");
                    _w.Close();
                    _w.Line("return count;");
                    _w.Close();
                    _w.Line();
                    _w.Line("/// <summary>The number of tokens in <paramref name=\"text\"/>.</summary>");
                    _w.Line("/// <param name=\"text\">The text.</param>");
                    _w.Line("/// <returns>The token count.</returns>");
                    _w.Open("public static int CountTokens(ReadOnlySpan<char> text)");
                    _w.Line("int position = 0, pending = -1, count = 0;");
                    _w.Line("while (NextToken(text, ref position, ref pending) >= 0)");
                    _w.Line("    count++;");
                    _w.Line("return count;");
                    _w.Close();
                    _w.Line();
                }

                private void WriteState()
                {
                    if (_d != 1)
                    {
                        return;
                    }

                    _w.Line("/// <summary>");
                    _w.Line("/// The hidden state of every layer between <see cref=\"Step(ref State, ReadOnlySpan{float})\"/> calls: a caller-owned value");
                    _w.Line("/// (" + N(_l * _hp) + " floats inline, no heap). <c>default</c> is the zero state.");
                    _w.Line("/// </summary>");
                    _w.Open("public struct State");
                    _w.Line("private StateBuffer _hidden;");
                    _w.Line();
                    _w.Line("/// <summary>The last layer's state after the latest step: HiddenSize floats.</summary>");
                    _w.Line("[UnscopedRef]");
                    _w.Line("public ReadOnlySpan<float> Output => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref First, " + N((_l - 1) * _hp) + "), HiddenSize);");
                    _w.Line();
                    _w.Line("/// <summary>Sets every layer's state back to zero.</summary>");
                    _w.Line("public void Reset() => this = default;");
                    _w.Line();
                    _w.Line("/// <summary>Sets the states of all layers (Layers · HiddenSize floats, layer by layer).</summary>");
                    _w.Line("/// <param name=\"states\">Layers · HiddenSize floats.</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\"><paramref name=\"states\"/> has the wrong length.</exception>");
                    _w.Open("public void Set(ReadOnlySpan<float> states)");
                    _w.Line("if (states.Length != StateSize)");
                    _w.Line("    throw new ArgumentException($\"states must hold StateSize = {StateSize} floats, not {states.Length}\", nameof(states));");
                    _w.Line("this = default;");
                    _w.Line("for (int layer = 0; layer < Layers; layer++)");
                    _w.Line("    states.Slice(layer * HiddenSize, HiddenSize).CopyTo(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref First, layer * Hp), HiddenSize));");
                    _w.Close();
                    _w.Line();
                    _w.Line("/// <summary>Copies the states of all layers (Layers · HiddenSize floats, layer by layer) to <paramref name=\"states\"/>.</summary>");
                    _w.Line("/// <param name=\"states\">Layers · HiddenSize floats.</param>");
                    _w.Line("/// <exception cref=\"ArgumentException\"><paramref name=\"states\"/> has the wrong length.</exception>");
                    _w.Open("public readonly void CopyTo(Span<float> states)");
                    _w.Line("if (states.Length != StateSize)");
                    _w.Line("    throw new ArgumentException($\"states must hold StateSize = {StateSize} floats, not {states.Length}\", nameof(states));");
                    _w.Line("for (int layer = 0; layer < Layers; layer++)");
                    _w.Line("    MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref Unsafe.As<StateBuffer, float>(ref Unsafe.AsRef(in _hidden)), layer * Hp), HiddenSize).CopyTo(states.Slice(layer * HiddenSize));");
                    _w.Close();
                    _w.Line();
                    _w.Line("// The first float of layer 0's state; layer k starts k · Hp floats later (padding lanes stay zero).");
                    _w.Line("[UnscopedRef]");
                    _w.Line("internal ref float First => ref Unsafe.As<StateBuffer, float>(ref _hidden);");
                    _w.Close();
                    _w.Line();
                    _w.Line("// Layers · Hp floats held inline in State.");
                    _w.Line("[InlineArray(" + N(_l * _hp) + ")]");
                    _w.Open("private struct StateBuffer");
                    _w.Line("private float _element0;");
                    _w.Close();
                    _w.Line();
                }

                private void WriteSweeps()
                {
                    for (int layer = 0; layer < _l; layer++)
                    {
                        for (int dir = 0; dir < _d; dir++)
                        {
                            _ct.ThrowIfCancellationRequested();
                            string s = Suffix(layer, dir);
                            int k = K(layer);
                            int outOffset = dir * _h;
                            _w.Line("// Layer " + N(layer) + (dir == 1 ? ", reverse direction" : _d == 2 ? ", forward direction" : "") + ": runs the cell over the sequence " + (dir == 1 ? "from the last step to the first" : "in order") + ",");
                            _w.Line("// writing its state into columns " + N(outOffset) + " … " + N(outOffset + _h - 1) + " of each output row.");
                            _w.Open("private static void Sweep" + s + "(ReadOnlySpan<float> source, int steps, Span<float> outputs, ReadOnlySpan<float> initial, Span<float> final, Span<float> projections, Span<float> work)");
                            _w.Line("work.Clear();");
                            _w.Line("initial.CopyTo(work);");
                            _w.Line("ref float h = ref MemoryMarshal.GetReference(work);");
                            _w.Line("ref float recurrent = ref Unsafe.Add(ref h, Hp);");
                            _w.Line("ref float x = ref MemoryMarshal.GetReference(source);");
                            _w.Line("ref float projection = ref MemoryMarshal.GetReference(projections);");
                            _w.Line("ReadOnlySpan<float> state = work.Slice(0, HiddenSize);");
                            if (dir == 0)
                            {
                                _w.Line("for (int t0 = 0; t0 < steps; t0 += ChunkSteps)");
                                _w.Open();
                                _w.Line("int n = Math.Min(ChunkSteps, steps - t0);");
                                _w.Line("// Input projections of steps t0 … t0 + n − 1 as one matrix product: W_ih · [x_t0 … x_t0+n−1] + b.");
                                _w.Line("Project" + s + "(ref Unsafe.Add(ref x, t0 * " + N(k) + "), n, ref projection);");
                                _w.Line("// The recurrence, one step at a time.");
                                _w.Line("for (int i = 0; i < n; i++)");
                                _w.Open();
                                _w.Line("Cell" + s + "(ref Unsafe.Add(ref projection, i * GateRows), ref h, ref recurrent);");
                                _w.Line("state.CopyTo(outputs.Slice((t0 + i) * OutputSize + " + N(outOffset) + ", HiddenSize));");
                                _w.Close();
                                _w.Close();
                            }
                            else
                            {
                                _w.Line("for (int t1 = steps; t1 > 0; t1 -= ChunkSteps)");
                                _w.Open();
                                _w.Line("int t0 = Math.Max(0, t1 - ChunkSteps);");
                                _w.Line("int n = t1 - t0;");
                                _w.Line("// Input projections of steps t0 … t1 − 1 as one matrix product: W_ih · [x_t0 … x_t1−1] + b.");
                                _w.Line("Project" + s + "(ref Unsafe.Add(ref x, t0 * " + N(k) + "), n, ref projection);");
                                _w.Line("// The recurrence, backwards in time.");
                                _w.Line("for (int i = n - 1; i >= 0; i--)");
                                _w.Open();
                                _w.Line("Cell" + s + "(ref Unsafe.Add(ref projection, i * GateRows), ref h, ref recurrent);");
                                _w.Line("state.CopyTo(outputs.Slice((t0 + i) * OutputSize + " + N(outOffset) + ", HiddenSize));");
                                _w.Close();
                                _w.Close();
                            }

                            _w.Line("state.CopyTo(final);");
                            _w.Close();
                            _w.Line();
                        }
                    }
                }
            }
        }
    }
}
