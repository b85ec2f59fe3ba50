using System;

namespace TinyGru.Generators.Model
{
    /// <summary>One decoded tensor.</summary>
    /// <param name="Name">Its model file name.</param>
    /// <param name="Values">Row-major float32 values (for int8 tensors: the dequantized values q · scale[row]).</param>
    /// <param name="Quantized">For int8 tensors: the row-major int8 values; empty otherwise.</param>
    /// <param name="RowScales">For int8 tensors: one scale per row; empty otherwise.</param>
    internal sealed record TensorSpec(string Name, EquatableArray<float> Values, EquatableArray<sbyte> Quantized, EquatableArray<float> RowScales)
    {
        /// <summary>Whether the tensor is stored as int8.</summary>
        public bool IsInt8 => Quantized.Count > 0;
    }

    /// <summary>How a model's GRU runs: float32, int8 weights with float activations, or int8 weights and activations.</summary>
    internal enum QuantizationKind
    {
        /// <summary>Float32 weights.</summary>
        None,

        /// <summary><c>w8a32</c>: int8 weights widened to float on the fly.</summary>
        W8A32,

        /// <summary><c>w8a8</c>: int8 weights and per-step int8 activations, int32 dot products.</summary>
        W8A8,
    }

    /// <summary>A validated model, decoded once per model file text and compared by value.</summary>
    internal sealed record ModelSpec(
        bool Cho2014,
        int InputSize,
        int HiddenSize,
        int Layers,
        bool Bidirectional,
        int VocabularySize,
        int PaddingIndex,
        int HeadOutputs,
        bool HeadSigmoid,
        TextModelSpec? Text,
        EquatableArray<TensorSpec> Tensors,
        long ParameterCount,
        string Producer,
        string? Source,
        QuantizationKind Quantization = QuantizationKind.None)
    {
        /// <summary>Bytes the weights take in the compiled assembly: 4 per float, 1 per int8 weight plus a float scale per row.</summary>
        public long WeightBytes
        {
            get
            {
                long bytes = 0;
                for (int i = 0; i < Tensors.Count; i++)
                {
                    TensorSpec t = Tensors[i];
                    bytes += t.IsInt8 ? t.Quantized.Count + 4L * t.RowScales.Count : 4L * t.Values.Count;
                }

                return bytes;
            }
        }

        /// <summary>The mode's name: <c>float32</c>, <c>w8a32</c> or <c>w8a8</c>.</summary>
        public string QuantizationName => Quantization switch
        {
            QuantizationKind.W8A32 => "w8a32",
            QuantizationKind.W8A8 => "w8a8",
            _ => "float32",
        };

        /// <summary>The tensor called <paramref name="name"/>.</summary>
        public TensorSpec Tensor(string name)
        {
            foreach (TensorSpec tensor in Tensors)
            {
                if (tensor.Name == name)
                {
                    return tensor;
                }
            }

            throw new InvalidOperationException("missing tensor " + name);
        }

        /// <summary>1 or 2.</summary>
        public int Directions => Bidirectional ? 2 : 1;

        /// <summary>Whether token ids are embedded before the GRU.</summary>
        public bool HasEmbedding => VocabularySize > 0;

        /// <summary>The values of the tensor called <paramref name="name"/>.</summary>
        public float[] Values(string name)
        {
            foreach (TensorSpec tensor in Tensors)
            {
                if (tensor.Name == name)
                {
                    return tensor.Values.AsSpan().ToArray();
                }
            }

            throw new InvalidOperationException("missing tensor " + name);
        }
    }

    /// <summary>The vocabulary and tokenizer of a text model.</summary>
    internal sealed record TextModelSpec(string TokenizerKind, bool Lowercase, int UnknownId, int PaddingId, EquatableArray<string> Vocabulary);

    /// <summary>The result of reading one <c>.tgru</c> additional file: a model or the diagnostic explaining why not.</summary>
    /// <param name="Path">The additional file's path.</param>
    /// <param name="Model">The model, or null when the file is invalid.</param>
    /// <param name="Error">Why the file is unusable (located inside the file), or null.</param>
    internal sealed record ModelFileSpec(string Path, ModelSpec? Model, DiagnosticInfo? Error);

    /// <summary>A class matched with its model file: everything the emitter needs.</summary>
    /// <param name="Class">The attributed class.</param>
    /// <param name="Model">The model, or null when a diagnostic prevents generation.</param>
    /// <param name="Diagnostics">What to report.</param>
    /// <param name="SkipLocalsInit">
    /// Whether methods that take stack scratch get <c>[SkipLocalsInit]</c> (the project allows unsafe code): every such buffer is
    /// written before it is read, and zeroing it costs more than some whole steps of small models.
    /// </param>
    internal sealed record GenerationSpec(ModelClassSpec Class, ModelSpec? Model, EquatableArray<DiagnosticInfo> Diagnostics, bool SkipLocalsInit = false);

    /// <summary>The emitted source of one class (or none) and its diagnostics.</summary>
    /// <param name="HintName">The generated file name.</param>
    /// <param name="Source">The C# source, or null.</param>
    /// <param name="Diagnostics">What to report.</param>
    /// <param name="Parts">
    /// More files of the same partial class: a large embedding table split into parts, so that Roslyn parses and compiles
    /// them in parallel (file i is named <c>HintName</c> with <c>.g.cs</c> replaced by <c>.EmbeddingPart{i}.g.cs</c>).
    /// </param>
    internal sealed record EmitResult(string HintName, string? Source, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<string> Parts = default);

    /// <summary>Project-wide settings read from MSBuild properties and the compilation.</summary>
    /// <param name="ProjectDirectory">The project folder, or null.</param>
    /// <param name="MaxModelBytes">Weight bytes above which a warning is reported.</param>
    /// <param name="HasIntrinsics">Whether the target framework has <c>Vector512</c> and inline arrays (.NET 8+).</param>
    /// <param name="AllowsUnsafe">Whether the project compiles with <c>AllowUnsafeBlocks</c>.</param>
    internal sealed record ProjectSettings(string? ProjectDirectory, long MaxModelBytes, bool HasIntrinsics, bool AllowsUnsafe = false);
}
