using System.Reflection;
using TinyGru.Generators.NeonParity.Models;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Model.Quantization;
using TinyGru.Reference;
using TinyGru.ReferenceData;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary>The generated Forward.</summary>
public delegate void ForwardFn(ReadOnlySpan<float> inputs, Span<float> outputs, Span<float> finalStates, ReadOnlySpan<float> initialStates, Span<float> scratch);

/// <summary>The generated PredictLogits / Predict on token ids.</summary>
public delegate void PredictFn(ReadOnlySpan<int> tokenIds, Span<float> outputs);

/// <summary>
/// One compiled model of <c>models/</c>: its file, the reference case it was made from (by file name:
/// <c>&lt;case&gt;[.&lt;int8 mode&gt;].tgru</c>, see make-models.sh) and the generated class's members as delegates.
/// The class was generated at build time; reflection only binds to it (no Roslyn at run time).
/// </summary>
public sealed class ParityModel
{
    private static readonly string[] Families = { "gru/forward", "sentiment" };

    private ParityModel(string file, Type generated)
    {
        File = file;
        Class = generated;
        string[] parts = Path.GetFileNameWithoutExtension(file).Split('.');
        CaseName = parts[0];
        QuantizationMode = parts.Length > 1 ? parts[1] : null;
        ReferenceCase = Families
            .Select(family => $"{family}/{CaseName}.json")
            .FirstOrDefault(path => System.IO.File.Exists(ReferenceRoot.PathOf(path)))
            ?? throw new FileNotFoundException($"{file}: no reference case {CaseName}.json in {string.Join(" or ", Families)} under {ReferenceRoot.Directory}");
    }

    /// <summary>Every model of the index, by file name.</summary>
    public static IReadOnlyDictionary<string, ParityModel> All { get; } =
        ParityModelIndex.All.ToDictionary(m => m.File, m => new ParityModel(m.File, m.Class));

    /// <summary>The model file's name, e.g. <c>f02_i1_h3_h0.tgru</c>.</summary>
    public string File { get; }

    /// <summary>The generated class.</summary>
    public Type Class { get; }

    /// <summary>The reference case's file name without extension.</summary>
    public string CaseName { get; }

    /// <summary>null for a float model, else the int8 mode the file name says (w8a32, w8a8).</summary>
    public string? QuantizationMode { get; }

    /// <summary>The reference case, relative to the reference root (e.g. <c>gru/forward/f02_i1_h3_h0.json</c>).</summary>
    public string ReferenceCase { get; }

    /// <summary>Whether the case is a sentiment (Embedding → GRU → Linear) case.</summary>
    public bool IsSentiment => ReferenceCase.StartsWith("sentiment/", StringComparison.Ordinal);

    /// <summary>The path the generated code takes in this process.</summary>
    public string SimdPath => (string)Class.GetProperty("SimdPath", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    /// <summary>The w8a8 integer dot-product kernel the class runs here (<c>IntegerDotPath</c>); null for other models.</summary>
    public string? IntegerDotPath => (string?)Class.GetProperty("IntegerDotPath", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);

    /// <summary>The class's own scalar σ and tanh, for a <see cref="ReferenceEngine"/> that shares them (w8a8 classes use a coarser rational).</summary>
    public CellActivations OwnActivations()
    {
        Func<float, float> Scalar(string name) => Class.GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static, null, new[] { typeof(float) }, null)!
            .CreateDelegate<Func<float, float>>();
        return CellActivations.FromSingle(Scalar("Sigmoid"), Scalar("Tanh"));
    }

    /// <summary>The generated Forward.</summary>
    public ForwardFn Forward => Method<ForwardFn>("Forward");

    /// <summary>The generated ScratchLength.</summary>
    public Func<int, int> ScratchLength => Method<Func<int, int>>("ScratchLength");

    /// <summary>The generated PredictLogits(ids, logits) (embedding + head models).</summary>
    public PredictFn PredictLogits => Method<PredictFn>("PredictLogits");

    /// <summary>The generated Predict(ids, outputs) (embedding + head models).</summary>
    public PredictFn Predict => Method<PredictFn>("Predict");

    /// <summary>A <c>const int</c> of the generated class.</summary>
    public int Constant(string name) => (int)Class.GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetRawConstantValue()!;

    /// <summary>The model file as the test binary sees it (copied beside it).</summary>
    public GruModel ReadFile() => ModelFileReader.Read(Path.Combine(AppContext.BaseDirectory, "models", File));

    /// <summary>The model the file must hold: the reference case imported, then quantized when the name says so.</summary>
    public GruModel Expected()
    {
        GruModel imported = IsSentiment ? SentimentCase.Load(ReferenceCase).ToModel() : ForwardCase.Load(ReferenceCase).ToModel();
        if (QuantizationMode is null)
        {
            return imported;
        }

        Assert.True(QuantizationSpec.TryParseMode(QuantizationMode, out QuantizationMode mode), $"{File}: unknown int8 mode '{QuantizationMode}' in the file name");
        return TinyGru.Quantization.Quantizer.Quantize(imported, mode);
    }

    /// <summary>Runs the generated Step over a sequence (unidirectional models): per step the last layer's state, and the final states.</summary>
    public (float[] Outputs, float[] FinalStates) StepAll(float[] inputs, int steps, float[] initialStates)
    {
        Type state = Class.GetNestedType("State")!;
        MethodInfo run = typeof(ParityModel).GetMethod(nameof(StepAllOf), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(state);
        return ((float[], float[]))run.Invoke(null, new object[] { this, inputs, steps, initialStates })!;
    }

    private delegate void StepFn<T>(ref T state, ReadOnlySpan<float> input);
    private delegate void SetFn<T>(ref T state, ReadOnlySpan<float> states);
    private delegate void CopyToFn<T>(ref T state, Span<float> states);
    private delegate ReadOnlySpan<float> OutputFn<T>(ref T state);

    private static (float[], float[]) StepAllOf<T>(ParityModel model, float[] inputs, int steps, float[] initialStates)
        where T : struct
    {
        Type type = typeof(T);
        var step = model.Method<StepFn<T>>("Step");
        var set = (SetFn<T>)Delegate.CreateDelegate(typeof(SetFn<T>), null, type.GetMethod("Set")!);
        var copyTo = (CopyToFn<T>)Delegate.CreateDelegate(typeof(CopyToFn<T>), null, type.GetMethod("CopyTo")!);
        var output = (OutputFn<T>)Delegate.CreateDelegate(typeof(OutputFn<T>), null, type.GetProperty("Output")!.GetMethod!);
        int inputSize = model.Constant("InputSize"), h = model.Constant("HiddenSize");
        T state = default;
        set(ref state, initialStates);
        var outputs = new float[steps * h];
        for (int t = 0; t < steps; t++)
        {
            step(ref state, inputs.AsSpan(t * inputSize, inputSize));
            output(ref state).CopyTo(outputs.AsSpan(t * h, h));
        }

        var finals = new float[model.Constant("StateSize")];
        copyTo(ref state, finals);
        return (outputs, finals);
    }

    private TDelegate Method<TDelegate>(string name)
        where TDelegate : Delegate
    {
        Type[] parameters = typeof(TDelegate).GetMethod("Invoke")!.GetParameters().Select(p => p.ParameterType).ToArray();
        MethodInfo method = Class.GetMethod(name, BindingFlags.Public | BindingFlags.Static, parameters)
            ?? throw new MissingMethodException($"{File}: the generated {Class.Name} has no {name}({string.Join(", ", parameters.Select(p => p.Name))})");
        return method.CreateDelegate<TDelegate>();
    }

    /// <inheritdoc/>
    public override string ToString() => File;
}
