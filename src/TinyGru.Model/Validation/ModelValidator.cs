using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using TinyGru.Model.Architecture;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;

namespace TinyGru.Model.Validation
{
    /// <summary>
    /// Every rule a model must satisfy, in one place: the file reader, the in-memory constructor and the
    /// source generator all run these checks, so a model is either valid everywhere or rejected everywhere.
    /// </summary>
    public static class ModelValidator
    {
        /// <summary>The largest hidden size accepted (keeps 3H·H inside int range).</summary>
        public const int MaxHiddenSize = 16384;

        /// <summary>The largest per-step input size accepted.</summary>
        public const int MaxInputSize = 1 << 20;

        /// <summary>The most stacked layers accepted.</summary>
        public const int MaxLayers = 64;

        /// <summary>The largest vocabulary accepted.</summary>
        public const int MaxVocabularySize = 1 << 24;

        /// <summary>The most head outputs accepted.</summary>
        public const int MaxOutputs = 1 << 20;

        /// <summary>Field path of a tensor entry, e.g. <c>tensors["head.bias"]</c>.</summary>
        public static string TensorPath(string name) => "tensors[\"" + name + "\"]";

        /// <summary>Every problem with <paramref name="architecture"/>, <paramref name="tensors"/> and <paramref name="text"/>; empty when the model is valid.</summary>
        public static IReadOnlyList<ModelProblem> Validate(NetworkArchitecture architecture, IReadOnlyList<Tensor> tensors, TextSpec? text,
            QuantizationSpec? quantization = null)
        {
            var problems = new List<ModelProblem>();
            ValidateArchitecture(architecture, problems);
            if (problems.Count > 0)
            {
                // Expected shapes are meaningless for an impossible architecture.
                return problems;
            }

            ValidateTensors(architecture, tensors, problems);
            ValidateStorage(architecture, tensors, quantization, problems);
            ValidateText(architecture, text, problems);
            return problems;
        }

        private static void ValidateArchitecture(NetworkArchitecture architecture, List<ModelProblem> problems)
        {
            GruStackSpec gru = architecture.Gru;
            CheckRange(problems, "architecture.gru.inputSize", gru.InputSize, 1, MaxInputSize);
            CheckRange(problems, "architecture.gru.hiddenSize", gru.HiddenSize, 1, MaxHiddenSize);
            CheckRange(problems, "architecture.gru.layers", gru.Layers, 1, MaxLayers);

            if (architecture.Embedding is { } embedding)
            {
                CheckRange(problems, "architecture.embedding.vocabularySize", embedding.VocabularySize, 1, MaxVocabularySize);
                if (embedding.Dimension != gru.InputSize)
                {
                    problems.Add(new ModelProblem("architecture.embedding.dimension",
                        $"is {Number(embedding.Dimension)}, but the GRU reads {Number(gru.InputSize)} features per step (architecture.gru.inputSize): they must be equal"));
                }

                if (embedding.PaddingIndex is int padding && (padding < 0 || padding >= embedding.VocabularySize))
                {
                    problems.Add(new ModelProblem("architecture.embedding.paddingIndex",
                        $"is {Number(padding)}, outside the vocabulary [0, {Number(embedding.VocabularySize - 1)}]"));
                }
            }

            if (architecture.Head is { } head)
            {
                CheckRange(problems, "architecture.head.outputs", head.Outputs, 1, MaxOutputs);
            }
        }

        private static void ValidateTensors(NetworkArchitecture architecture, IReadOnlyList<Tensor> tensors, List<ModelProblem> problems)
        {
            IReadOnlyList<TensorSlot> slots = architecture.TensorSlots();
            var byName = new Dictionary<string, Tensor>();
            foreach (Tensor tensor in tensors)
            {
                if (byName.ContainsKey(tensor.Name))
                {
                    problems.Add(new ModelProblem(TensorPath(tensor.Name), "appears twice"));
                    continue;
                }

                byName.Add(tensor.Name, tensor);
            }

            var expected = new HashSet<string>(slots.Select(s => s.Name));
            foreach (Tensor tensor in tensors)
            {
                if (!expected.Contains(tensor.Name))
                {
                    problems.Add(new ModelProblem(TensorPath(tensor.Name),
                        $"unknown tensor: a model of this architecture has exactly {string.Join(", ", slots.Select(s => s.Name))}"));
                }
            }

            foreach (TensorSlot slot in slots)
            {
                if (!byName.TryGetValue(slot.Name, out Tensor? tensor))
                {
                    problems.Add(new ModelProblem("tensors",
                        $"missing tensor \"{slot.Name}\" ({slot.Description}, shape {Tensor.FormatShape(slot.Shape)})"));
                    continue;
                }

                if (!tensor.HasShape(slot.Shape))
                {
                    problems.Add(new ModelProblem(TensorPath(slot.Name) + ".shape",
                        $"wrong shape {tensor.ShapeText}: the {slot.Description} of this architecture must be {Tensor.FormatShape(slot.Shape)}"));
                    continue;
                }

                if (tensor.DataType == TensorDataType.Float32)
                {
                    CheckFinite(tensor, problems); // int8 values are finite by construction; their scales are checked with the storage
                }
            }
        }

        /// <summary>
        /// Float models hold float32 tensors only. Quantized models hold every weight matrix as int8 with finite,
        /// non-negative row scales and values in [−127, 127] (symmetric), and keep biases in float32.
        /// </summary>
        private static void ValidateStorage(NetworkArchitecture architecture, IReadOnlyList<Tensor> tensors, QuantizationSpec? quantization,
            List<ModelProblem> problems)
        {
            var slots = new HashSet<string>(architecture.TensorSlots().Select(s => s.Name));
            foreach (Tensor tensor in tensors)
            {
                if (!slots.Contains(tensor.Name))
                {
                    continue;
                }

                bool matrix = tensor.Shape.Count == 2;
                TensorDataType expected = quantization is not null && matrix ? TensorDataType.Int8 : TensorDataType.Float32;
                if (tensor.DataType != expected)
                {
                    string why = quantization is null
                        ? "a float model (no \"quantization\" field) stores every tensor as float32"
                        : matrix ? $"a quantized ({quantization.ModeName}) model stores every weight matrix as int8"
                                 : "biases stay float32 in quantized models";
                    problems.Add(new ModelProblem(TensorPath(tensor.Name) + ".dtype",
                        $"is {TensorDataTypeNames.ToName(tensor.DataType)}, but {why}"));
                    continue;
                }

                if (tensor.DataType == TensorDataType.Int8)
                {
                    CheckInt8(tensor, problems);
                }
            }
        }

        private static void CheckInt8(Tensor tensor, List<ModelProblem> problems)
        {
            float[] scales = tensor.RowScales!;
            for (int row = 0; row < scales.Length; row++)
            {
                if (float.IsNaN(scales[row]) || float.IsInfinity(scales[row]) || scales[row] < 0)
                {
                    problems.Add(new ModelProblem(TensorPath(tensor.Name) + ".rowScales",
                        $"row {Number(row)} has scale {scales[row].ToString("R", CultureInfo.InvariantCulture)}; scales must be finite and not negative"));
                    return;
                }
            }

            sbyte[] values = tensor.Quantized!;
            for (int i = 0; i < values.Length; i++)
            {
                if (values[i] == sbyte.MinValue)
                {
                    problems.Add(new ModelProblem(TensorPath(tensor.Name) + ".data",
                        $"element {Number(i)} {IndexText(tensor.Shape, i)} is −128; symmetric int8 uses [−127, 127]"));
                    return;
                }
            }
        }

        private static void CheckFinite(Tensor tensor, List<ModelProblem> problems)
        {
            float[] values = tensor.Values;
            for (int i = 0; i < values.Length; i++)
            {
                float v = values[i];
                if (float.IsNaN(v) || float.IsInfinity(v))
                {
                    string what = float.IsNaN(v) ? "NaN" : (v > 0 ? "+Infinity" : "-Infinity");
                    problems.Add(new ModelProblem(TensorPath(tensor.Name) + ".data",
                        $"element {Number(i)} {IndexText(tensor.Shape, i)} is {what}; weights must be finite"));
                    return;
                }
            }
        }

        private static void ValidateText(NetworkArchitecture architecture, TextSpec? text, List<ModelProblem> problems)
        {
            if (text is null)
            {
                return;
            }

            if (architecture.Embedding is not { } embedding)
            {
                problems.Add(new ModelProblem("text", "a text description needs an embedding layer (architecture.embedding)"));
                return;
            }

            if (text.Vocabulary.Count != embedding.VocabularySize)
            {
                problems.Add(new ModelProblem("text.vocabulary",
                    $"has {Number(text.Vocabulary.Count)} tokens, but the embedding has {Number(embedding.VocabularySize)} rows (architecture.embedding.vocabularySize)"));
            }

            if (embedding.PaddingIndex is int padding && padding != text.PaddingId)
            {
                problems.Add(new ModelProblem("text.paddingToken",
                    $"\"{text.PaddingToken}\" has id {Number(text.PaddingId)}, but architecture.embedding.paddingIndex is {Number(padding)}"));
            }

            if (text.Tokenizer.Kind != ReviewTokenizer.KindName)
            {
                problems.Add(new ModelProblem("text.tokenizer.kind",
                    $"unknown tokenizer \"{text.Tokenizer.Kind}\" (this version knows \"{ReviewTokenizer.KindName}\")"));
            }
        }

        private static void CheckRange(List<ModelProblem> problems, string field, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                problems.Add(new ModelProblem(field, $"is {Number(value)}; it must be between {Number(min)} and {Number(max)}"));
            }
        }

        private static string IndexText(IReadOnlyList<int> shape, int flatIndex)
        {
            var index = new int[shape.Count];
            for (int d = shape.Count - 1; d >= 0; d--)
            {
                index[d] = shape[d] == 0 ? 0 : flatIndex % shape[d];
                flatIndex = shape[d] == 0 ? 0 : flatIndex / shape[d];
            }

            return "(index " + Tensor.FormatShape(index) + ")";
        }

        private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
