using System;
using System.Linq;
using System.Reflection;
using System.Text;
using TinyGru.Model;
using TinyGru.Model.Format;

namespace TinyGru.Generators.Tests;

/// <summary>
/// A model compiled by the generator into an in-memory assembly, with a small array-based harness compiled beside it
/// (spans cannot cross reflection), so tests call the generated API exactly as user code does.
/// </summary>
public sealed class CompiledModel
{
    private readonly Type _harness;

    private CompiledModel(Assembly assembly, GeneratorOutcome outcome, GruModel model)
    {
        Assembly = assembly;
        Outcome = outcome;
        Model = model;
        _harness = assembly.GetType("Generated.Harness", throwOnError: true)!;
        ModelType = assembly.GetType("Generated.M", throwOnError: true)!;
    }

    /// <summary>The loaded assembly.</summary>
    public Assembly Assembly { get; }

    /// <summary>The generated model class.</summary>
    public Type ModelType { get; }

    /// <summary>The generator run.</summary>
    public GeneratorOutcome Outcome { get; }

    /// <summary>The model compiled.</summary>
    public GruModel Model { get; }

    /// <summary>Writes <paramref name="model"/> as a model file, generates, compiles and loads it.</summary>
    public static CompiledModel Compile(GruModel model) => Compile(ModelFileWriter.ToText(model), model);

    /// <summary>As <see cref="Compile(GruModel)"/>, in a project with <c>AllowUnsafeBlocks</c> (the generator then emits [SkipLocalsInit]).</summary>
    public static CompiledModel CompileAllowingUnsafe(GruModel model) => Compile(ModelFileWriter.ToText(model), model, allowUnsafe: true);

    /// <summary>Generates, compiles and loads <paramref name="modelText"/> (which describes <paramref name="model"/>).</summary>
    public static CompiledModel Compile(string modelText, GruModel model, bool allowUnsafe = false)
    {
        const string classSource = "namespace Generated;\n[TinyGru.GruModel(\"../models/model.tgru\")]\npublic partial class M;\n";
        GeneratorOutcome outcome = GeneratorHarness.RunModel(allowUnsafe, modelText, classSource, "/project/models/model.tgru", HarnessSource(model));
        var errors = outcome.TinyGruDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToArray();
        if (errors.Length > 0)
        {
            throw new InvalidOperationException("generator diagnostics: " + string.Join("; ", errors.Select(e => e.ToString())));
        }

        return new CompiledModel(GeneratorHarness.Load(outcome.Output), outcome, model);
    }

    private static string HarnessSource(GruModel model)
    {
        var a = model.Architecture;
        var s = new StringBuilder();
        s.AppendLine("namespace Generated;");
        s.AppendLine("using System;");
        s.AppendLine("public static class Harness");
        s.AppendLine("{");
        s.AppendLine("""
                // Bytes `call` allocates over `calls` calls after as many warm-up calls (tiering and OSR settle): the least of
                // three rounds, so a one-time runtime allocation (a tier-up) is not taken for a per-call one.
                private static long LeastAllocated(Action call, int calls)
                {
                    for (int i = 0; i < calls; i++) call();
                    long least = long.MaxValue;
                    for (int round = 0; round < 3; round++)
                    {
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        for (int i = 0; i < calls; i++) call();
                        least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                    }
                    return least;
                }
            """);
        s.AppendLine("    public static string SimdPath() => M.SimdPath;");
        s.AppendLine("    public static void Forward(float[] inputs, float[] outputs, float[] finals, float[]? initial) => M.Forward(inputs, outputs, finals, initial);");
        s.AppendLine("    public static void ForwardWithScratch(float[] inputs, float[] outputs, float[] finals, float[] scratch) => M.Forward(inputs, outputs, finals, default, scratch);");
        if (!a.Gru.Bidirectional)
        {
            s.AppendLine("""
                public static void StepAll(float[] inputs, float[] outputs, float[]? initial, float[] finals)
                {
                    M.State state = default;
                    if (initial is not null) state.Set(initial);
                    for (int t = 0; t < inputs.Length / M.InputSize; t++)
                    {
                        M.Step(ref state, inputs.AsSpan(t * M.InputSize, M.InputSize));
                        state.Output.CopyTo(outputs.AsSpan(t * M.HiddenSize));
                    }
                    state.CopyTo(finals);
                }
                public static long StepAllocations(float[] input, int calls)
                {
                    M.State state = default;
                    return LeastAllocated(() => M.Step(ref state, input), calls);
                }
                public static void StepWrongLength(float[] input) { M.State state = default; M.Step(ref state, input); }

                // Each step right after a call that leaves 64 KB of the stack below this frame filled with 0xFF (NaN floats,
                // −1 bytes): where [SkipLocalsInit] spares the zeroing, scratch read before it is written would show.
                public static void StepAllOnPoisonedStack(float[] inputs, float[] outputs)
                {
                    M.State state = default;
                    for (int t = 0; t < inputs.Length / M.InputSize; t++)
                    {
                        PoisonStack();
                        M.Step(ref state, inputs.AsSpan(t * M.InputSize, M.InputSize));
                        state.Output.CopyTo(outputs.AsSpan(t * M.HiddenSize));
                    }
                }
            """);
        }

        s.AppendLine("""
                // Forward right after a call that leaves 64 KB of the stack below this frame filled with 0xFF (as StepAllOnPoisonedStack).
                public static void ForwardOnPoisonedStack(float[] inputs, float[] outputs, float[] finals)
                {
                    PoisonStack();
                    M.Forward(inputs, outputs, finals);
                }

                // Leaves 64 KB of the stack below the caller's frame filled with 0xFF (NaN floats, −1 bytes).
                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static void PoisonStack()
                {
                    Span<byte> filler = stackalloc byte[64 * 1024];
                    filler.Fill(0xFF);
                }

                public static long ForwardAllocations(float[] inputs, float[] outputs, float[] finals, int calls)
                {
                    return LeastAllocated(() => M.Forward(inputs, outputs, finals), calls);
                }
            """);
        if (a.Embedding is not null && a.Head is not null)
        {
            s.AppendLine("""
                public static void PredictLogits(int[] ids, float[] logits) => M.PredictLogits(ids, logits);
                public static void Predict(int[] ids, float[] outputs) => M.Predict(ids, outputs);
                public static long PredictAllocations(int[] ids, float[] outputs, int calls)
                {
                    return LeastAllocated(() => M.Predict(ids, outputs), calls);
                }
            """);
            if (model.Text is not null)
            {
                s.AppendLine("""
                    public static void PredictText(string text, float[] logits) => M.PredictLogits(text, logits);
                    public static int[] Tokenize(string text) { var ids = new int[text.Length]; int n = M.Tokenize(text, ids); return ids[..n]; }
                    public static int CountTokens(string text) => M.CountTokens(text);
                    public static long PredictTextAllocations(string text, float[] logits, int calls)
                    {
                        return LeastAllocated(() => M.PredictLogits(text.AsSpan(), logits), calls);
                    }
                """);
            }
        }

        if (a.Embedding is null && a.Head is not null)
        {
            s.AppendLine("""
                public static void PredictLogits(float[] inputs, float[] logits) => M.PredictLogits(inputs, logits);
                public static void Predict(float[] inputs, float[] outputs) => M.Predict(inputs, outputs);
                public static long PredictAllocations(float[] inputs, float[] outputs, int calls)
                {
                    return LeastAllocated(() => M.Predict(inputs, outputs), calls);
                }
            """);
        }

        if (model.Quantization?.Mode == TinyGru.Model.Quantization.QuantizationMode.W8A8)
        {
            s.AppendLine("""
                public static bool Accumulators(string matrix, string path, sbyte[] q, int[] acc) => M.IntegerAccumulatorsForTests(matrix, path, q, acc);
                public static bool VnniAccumulatorsAtOffset(string matrix, int offset, int steps, sbyte[] q, int[] acc) => M.VnniAccumulatorsAtOffsetForTests(matrix, offset, steps, q, acc);
                public static bool VnniRescaledAtOffset(string matrix, int offset, sbyte[] q, float activationScale, float[] fused, float[] separate) => M.VnniRescaledAtOffsetForTests(matrix, offset, q, activationScale, fused, separate);
                public static string IntegerDotPath() => M.IntegerDotPath;
                public static float QuantizeInput(float[] x, sbyte[] q) => M.QuantizeInputForTests(x, q);
                public static void QuantizeState(float[] h, sbyte[] q) => M.QuantizeStateForTests(h, q);
            """);
        }

        s.AppendLine("}");
        return s.ToString();
    }

    /// <summary>Calls <c>Harness.<paramref name="name"/></c>, unwrapping exceptions.</summary>
    public object? Call(string name, params object?[] args)
    {
        MethodInfo method = _harness.GetMethod(name) ?? throw new MissingMethodException("Harness", name);
        try
        {
            return method.Invoke(null, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }

    /// <summary>A public constant of the generated class.</summary>
    public T Constant<T>(string name) => (T)ModelType.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    /// <summary>The class's own scalar σ and tanh, for a <see cref="TinyGru.Reference.ReferenceEngine"/> that shares them.</summary>
    public TinyGru.Reference.CellActivations OwnActivations() => TinyGru.Reference.CellActivations.FromSingle(
        Private("Sigmoid", typeof(float)).CreateDelegate<Func<float, float>>(), Private("Tanh", typeof(float)).CreateDelegate<Func<float, float>>());

    /// <summary>A private static method of the generated class (e.g. the activation kernels).</summary>
    public MethodInfo Private(string name, params Type[] parameters) =>
        ModelType.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static, null, parameters, null)
        ?? throw new MissingMethodException(ModelType.Name, name);
}
