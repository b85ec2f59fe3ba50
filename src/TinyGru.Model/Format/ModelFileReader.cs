using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using TinyGru.Model.Architecture;
using TinyGru.Model.Json;
using TinyGru.Model.Quantization;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;
using TinyGru.Model.Validation;

namespace TinyGru.Model.Format
{
    /// <summary>
    /// Reads and validates a TinyGru model file. Every fault — malformed JSON, an unknown version, field or
    /// layer, bad base64, a checksum mismatch, a wrong shape, a NaN — becomes a <see cref="ModelFileException"/>
    /// naming the file, line, column and field. Used by the CLI, the trainer and the source generator alike.
    /// </summary>
    public sealed class ModelFileReader
    {
        private readonly string? _fileName;
        private readonly Dictionary<string, JsonNode> _nodes = new Dictionary<string, JsonNode>(StringComparer.Ordinal);

        private ModelFileReader(string? fileName)
        {
            _fileName = fileName;
        }

#if !TINYGRU_GENERATOR
        // Not compiled into the source generator, which must not do file IO (RS1035): it parses the text Roslyn gives it.
        /// <summary>Reads the model file at <paramref name="path"/>.</summary>
        /// <exception cref="ModelFileException">The file is missing, unreadable or invalid.</exception>
        public static GruModel Read(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new ModelFileException(path, 0, 0, "(file)", "cannot be read: " + e.Message);
            }

            return Parse(text, path);
        }
#endif

        /// <summary>Parses model file text; <paramref name="fileName"/> only labels error messages.</summary>
        /// <exception cref="ModelFileException">The text is not a valid model file.</exception>
        public static GruModel Parse(string text, string? fileName = null) => new ModelFileReader(fileName).ParseDocument(text);

        private GruModel ParseDocument(string text)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ModelFileException(_fileName, 0, 0, "(document)", "the file is empty");
            }

            JsonNode root;
            try
            {
                root = JsonParser.Parse(text);
            }
            catch (JsonSyntaxException e)
            {
                throw new ModelFileException(_fileName, e.Line, e.Column, "(document)", "not valid JSON: " + e.Problem);
            }

            RequireKind(root, "(document)", JsonKind.Object);
            CheckMembers(root, "", "field", "format", "formatVersion", "provenance", "architecture", "quantization", "text", "tensors");

            string format = RequiredString(root, "format");
            if (format != ModelFileFormat.FormatName)
            {
                throw Fail("format", $"is \"{format}\"; a TinyGru model file says \"{ModelFileFormat.FormatName}\"");
            }

            int version = RequiredInt(root, "formatVersion");
            if (version != ModelFileFormat.CurrentVersion)
            {
                throw Fail("formatVersion",
                    $"unsupported format version {version}: this TinyGru reads version {ModelFileFormat.CurrentVersion}" +
                    (version > ModelFileFormat.CurrentVersion ? " (the file was written by a newer TinyGru: upgrade)" : ""));
            }

            Provenance provenance = ReadProvenance(RequiredObject(root, "provenance", "provenance"));
            NetworkArchitecture architecture = ReadArchitecture(RequiredObject(root, "architecture", "architecture"));
            QuantizationSpec? quantization = root["quantization"] is { Kind: not JsonKind.Null } q ? ReadQuantization(q) : null;
            TextSpec? textSpec = root["text"] is { Kind: not JsonKind.Null } textNode ? ReadText(textNode) : null;
            List<Tensor> tensors = ReadTensors(Required(root, "tensors", "tensors"));

            IReadOnlyList<ModelProblem> problems = ModelValidator.Validate(architecture, tensors, textSpec, quantization);
            if (problems.Count > 0)
            {
                ModelProblem first = problems[0];
                JsonNode at = NodeFor(first.FieldPath) ?? root;
                throw new ModelFileException(_fileName, at.Line, at.Column, first.FieldPath, first.Message, problems);
            }

            return new GruModel(architecture, tensors, textSpec, provenance, quantization);
        }

        private QuantizationSpec ReadQuantization(JsonNode node)
        {
            Register("quantization", node);
            RequireKind(node, "quantization", JsonKind.Object);
            CheckMembers(node, "quantization", "field", "mode");
            string mode = RequiredString(node, "mode", "quantization.mode");
            if (!QuantizationSpec.TryParseMode(mode, out QuantizationMode parsed))
            {
                throw Fail("quantization.mode",
                    $"unknown quantization mode \"{mode}\" (known: \"{QuantizationSpec.W8A32Name}\", \"{QuantizationSpec.W8A8Name}\")");
            }

            return new QuantizationSpec(parsed);
        }

        private Provenance ReadProvenance(JsonNode node)
        {
            CheckMembers(node, "provenance", "field", "producer", "source", "trainingData", "metrics", "notes");
            var metrics = new List<KeyValuePair<string, double>>();
            if (node["metrics"] is { Kind: not JsonKind.Null } metricsNode)
            {
                RequireKind(metricsNode, "provenance.metrics", JsonKind.Object);
                foreach (KeyValuePair<string, JsonNode> metric in metricsNode.Members)
                {
                    string path = "provenance.metrics." + metric.Key;
                    Register(path, metric.Value);
                    metrics.Add(new KeyValuePair<string, double>(metric.Key, NumberValue(metric.Value, path)));
                }
            }

            return new Provenance(
                RequiredString(node, "producer", "provenance.producer"),
                OptionalString(node, "source", "provenance.source"),
                OptionalString(node, "trainingData", "provenance.trainingData"),
                metrics,
                OptionalString(node, "notes", "provenance.notes"));
        }

        private NetworkArchitecture ReadArchitecture(JsonNode node)
        {
            CheckMembers(node, "architecture", "layer", "embedding", "gru", "head");

            EmbeddingSpec? embedding = null;
            if (node["embedding"] is { Kind: not JsonKind.Null } e)
            {
                Register("architecture.embedding", e);
                RequireKind(e, "architecture.embedding", JsonKind.Object);
                CheckMembers(e, "architecture.embedding", "field", "vocabularySize", "dimension", "paddingIndex");
                int? padding = e["paddingIndex"] is { Kind: not JsonKind.Null } ? RequiredInt(e, "paddingIndex", "architecture.embedding.paddingIndex") : (int?)null;
                embedding = new EmbeddingSpec(
                    RequiredInt(e, "vocabularySize", "architecture.embedding.vocabularySize"),
                    RequiredInt(e, "dimension", "architecture.embedding.dimension"),
                    padding);
            }

            JsonNode g = RequiredObject(node, "gru", "architecture.gru");
            CheckMembers(g, "architecture.gru", "field", "inputSize", "hiddenSize", "layers", "bidirectional", "convention");
            string conventionName = RequiredString(g, "convention", "architecture.gru.convention");
            if (!GruConventionNames.TryParse(conventionName, out GruConvention convention))
            {
                throw Fail("architecture.gru.convention",
                    $"unknown GRU convention \"{conventionName}\" (known: \"{GruConventionNames.PyTorch}\", \"{GruConventionNames.Cho2014}\")");
            }

            var gru = new GruStackSpec(
                RequiredInt(g, "inputSize", "architecture.gru.inputSize"),
                RequiredInt(g, "hiddenSize", "architecture.gru.hiddenSize"),
                RequiredInt(g, "layers", "architecture.gru.layers"),
                RequiredBool(g, "bidirectional", "architecture.gru.bidirectional"),
                convention);

            HeadSpec? head = null;
            if (node["head"] is { Kind: not JsonKind.Null } h)
            {
                Register("architecture.head", h);
                RequireKind(h, "architecture.head", JsonKind.Object);
                CheckMembers(h, "architecture.head", "field", "outputs", "activation");
                string activationName = RequiredString(h, "activation", "architecture.head.activation");
                OutputActivation activation = activationName switch
                {
                    ModelFileFormat.ActivationNone => OutputActivation.None,
                    ModelFileFormat.ActivationSigmoid => OutputActivation.Sigmoid,
                    _ => throw Fail("architecture.head.activation",
                        $"unknown activation \"{activationName}\" (known: \"{ModelFileFormat.ActivationNone}\", \"{ModelFileFormat.ActivationSigmoid}\")"),
                };
                head = new HeadSpec(RequiredInt(h, "outputs", "architecture.head.outputs"), activation);
            }

            return new NetworkArchitecture(embedding, gru, head);
        }

        private TextSpec ReadText(JsonNode node)
        {
            Register("text", node);
            RequireKind(node, "text", JsonKind.Object);
            CheckMembers(node, "text", "field", "tokenizer", "unknownToken", "paddingToken", "vocabulary");
            JsonNode tokenizerNode = RequiredObject(node, "tokenizer", "text.tokenizer");
            CheckMembers(tokenizerNode, "text.tokenizer", "field", "kind", "lowercase");
            var tokenizer = new TokenizerSettings(
                RequiredString(tokenizerNode, "kind", "text.tokenizer.kind"),
                RequiredBool(tokenizerNode, "lowercase", "text.tokenizer.lowercase"));

            JsonNode vocabularyNode = Required(node, "vocabulary", "text.vocabulary");
            RequireKind(vocabularyNode, "text.vocabulary", JsonKind.Array);
            var vocabulary = new List<string>(vocabularyNode.Items.Count);
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < vocabularyNode.Items.Count; i++)
            {
                string path = "text.vocabulary[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                JsonNode item = vocabularyNode.Items[i];
                RequireKind(item, path, JsonKind.String);
                string token = item.Text!;
                if (seen.TryGetValue(token, out int earlier))
                {
                    throw Fail(path, item, $"token \"{token}\" repeats text.vocabulary[{earlier}]: every token needs exactly one id");
                }

                seen.Add(token, i);
                vocabulary.Add(token);
            }

            string unknown = RequiredString(node, "unknownToken", "text.unknownToken");
            string padding = RequiredString(node, "paddingToken", "text.paddingToken");
            if (!seen.ContainsKey(unknown))
            {
                throw Fail("text.unknownToken", $"\"{unknown}\" is not in text.vocabulary");
            }

            if (!seen.ContainsKey(padding))
            {
                throw Fail("text.paddingToken", $"\"{padding}\" is not in text.vocabulary");
            }

            return new TextSpec(tokenizer, vocabulary, unknown, padding);
        }

        private List<Tensor> ReadTensors(JsonNode node)
        {
            RequireKind(node, "tensors", JsonKind.Array);
            var tensors = new List<Tensor>(node.Items.Count);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < node.Items.Count; i++)
            {
                JsonNode entry = node.Items[i];
                string indexPath = "tensors[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                RequireKind(entry, indexPath, JsonKind.Object);
                JsonNode nameNode = Required(entry, "name", indexPath + ".name");
                RequireKind(nameNode, indexPath + ".name", JsonKind.String);
                string name = nameNode.Text!;
                string path = ModelValidator.TensorPath(name);
                if (!seen.Add(name))
                {
                    throw Fail(path, nameNode, "appears twice: every tensor name must be unique");
                }

                // Errors about the tensor as a whole point at its name.
                Register(path, nameNode);
                CheckMembers(entry, path, "field", "name", "dtype", "shape", "checksum", "data", "rowScales");

                string dtype = RequiredString(entry, "dtype", path + ".dtype");
                if (!TensorDataTypeNames.Supported.Contains(dtype))
                {
                    throw Fail(path + ".dtype",
                        $"unsupported storage type \"{dtype}\" (this version reads: {string.Join(", ", TensorDataTypeNames.Supported)})");
                }

                int[] shape = ReadShape(Required(entry, "shape", path + ".shape"), path + ".shape");
                long count = Tensor.ElementCountOf(shape);
                if (dtype == TensorDataTypeNames.Int8)
                {
                    if (shape.Length != 2)
                    {
                        throw Fail(path + ".shape", $"is {Tensor.FormatShape(shape)}; int8 tensors are weight matrices [rows, columns]");
                    }

                    byte[] int8 = ReadPayload(entry, path, count, 1, dtype);
                    JsonNode scalesNode = RequiredObject(entry, "rowScales", path + ".rowScales");
                    CheckMembers(scalesNode, path + ".rowScales", "field", "checksum", "data");
                    byte[] scales = ReadPayload(scalesNode, path + ".rowScales", shape[0], 4, "float32 row scales");
                    tensors.Add(new Tensor(name, shape, TensorPayload.ToInt8(int8), TensorPayload.ToFloats(scales)));
                }
                else
                {
                    if (entry["rowScales"] is not null)
                    {
                        throw Fail(path + ".rowScales", entry["rowScales"]!, $"only int8 tensors have row scales; this one is {dtype}");
                    }

                    tensors.Add(new Tensor(name, shape, TensorPayload.ToFloats(ReadPayload(entry, path, count, 4, dtype))));
                }
            }

            return tensors;
        }

        /// <summary>Decodes and checks the <c>data</c> and <c>checksum</c> members of <paramref name="owner"/>.</summary>
        private byte[] ReadPayload(JsonNode owner, string path, long count, int bytesPerValue, string what)
        {
            string checksum = RequiredString(owner, "checksum", path + ".checksum");
            JsonNode dataNode = Required(owner, "data", path + ".data");
            RequireKind(dataNode, path + ".data", JsonKind.String);
            byte[] bytes = DecodeBase64(dataNode, path + ".data");
            if (bytes.Length != count * bytesPerValue)
            {
                throw Fail(path + ".data",
                    $"decodes to {bytes.Length} bytes, but {count} values of {what} need {count * bytesPerValue}");
            }

            string actual = TensorPayload.Checksum(bytes);
            if (!string.Equals(actual, checksum, StringComparison.OrdinalIgnoreCase))
            {
                throw Fail(path + ".checksum",
                    $"checksum mismatch: the data hashes to {actual}, the file says {checksum}: the payload was altered or corrupted");
            }

            return bytes;
        }

        private int[] ReadShape(JsonNode node, string path)
        {
            RequireKind(node, path, JsonKind.Array);
            var shape = new int[node.Items.Count];
            for (int d = 0; d < shape.Length; d++)
            {
                string dimensionPath = path + "[" + d.ToString(CultureInfo.InvariantCulture) + "]";
                shape[d] = IntValue(node.Items[d], dimensionPath);
                if (shape[d] < 0)
                {
                    throw Fail(dimensionPath, node.Items[d], $"is {shape[d]}; dimensions cannot be negative");
                }
            }

            if (Tensor.ElementCountOf(shape) > int.MaxValue / 4)
            {
                throw Fail(path, node, $"{Tensor.FormatShape(shape)} is too large for one tensor");
            }

            return shape;
        }

        private byte[] DecodeBase64(JsonNode node, string path)
        {
            string text = node.Text!;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool valid = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
                if (!valid)
                {
                    throw Fail(path, node, $"bad base64: character {i} ('{c}') is not a base64 character");
                }
            }

            try
            {
                return Convert.FromBase64String(text);
            }
            catch (FormatException)
            {
                throw Fail(path, node,
                    $"bad base64: {text.Length} characters cannot be decoded (length must be a multiple of 4, '=' only at the end)");
            }
        }

        // ---- field helpers ----------------------------------------------------------------------------

        private void CheckMembers(JsonNode node, string path, string what, params string[] allowed)
        {
            foreach (KeyValuePair<string, JsonNode> member in node.Members)
            {
                if (Array.IndexOf(allowed, member.Key) < 0)
                {
                    string memberPath = path.Length == 0 ? member.Key : path + "." + member.Key;
                    string problem = what == "layer"
                        ? $"unknown layer \"{member.Key}\": TinyGru networks are embedding → gru → head (known: {string.Join(", ", allowed)})"
                        : $"unknown {what} \"{member.Key}\" (known: {string.Join(", ", allowed)})";
                    throw Fail(memberPath, member.Value, problem);
                }
            }
        }

        private JsonNode Required(JsonNode parent, string name, string path)
        {
            JsonNode? node = parent[name];
            if (node is null || node.Kind == JsonKind.Null)
            {
                throw Fail(path, parent, "is required but missing");
            }

            Register(path, node);
            return node;
        }

        private JsonNode RequiredObject(JsonNode parent, string name, string path)
        {
            JsonNode node = Required(parent, name, path);
            RequireKind(node, path, JsonKind.Object);
            return node;
        }

        private string RequiredString(JsonNode parent, string name, string? path = null)
        {
            path ??= name;
            JsonNode node = Required(parent, name, path);
            RequireKind(node, path, JsonKind.String);
            return node.Text!;
        }

        private string? OptionalString(JsonNode parent, string name, string path)
        {
            JsonNode? node = parent[name];
            if (node is null || node.Kind == JsonKind.Null)
            {
                return null;
            }

            Register(path, node);
            RequireKind(node, path, JsonKind.String);
            return node.Text;
        }

        private bool RequiredBool(JsonNode parent, string name, string path)
        {
            JsonNode node = Required(parent, name, path);
            RequireKind(node, path, JsonKind.Boolean);
            return node.Boolean;
        }

        private int RequiredInt(JsonNode parent, string name, string? path = null)
        {
            path ??= name;
            return IntValue(Required(parent, name, path), path);
        }

        private int IntValue(JsonNode node, string path)
        {
            RequireKind(node, path, JsonKind.Number);
            if (!int.TryParse(node.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                throw Fail(path, node, $"is {node.Text}; a whole number between {int.MinValue} and {int.MaxValue} was expected");
            }

            return value;
        }

        private double NumberValue(JsonNode node, string path)
        {
            RequireKind(node, path, JsonKind.Number);
            return double.Parse(node.Text!, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        private void RequireKind(JsonNode node, string path, JsonKind kind)
        {
            if (node.Kind != kind)
            {
                throw Fail(path, node, $"is {Describe(node.Kind)}; {Describe(kind)} was expected");
            }
        }

        private static string Describe(JsonKind kind) => kind switch
        {
            JsonKind.Object => "an object",
            JsonKind.Array => "an array",
            JsonKind.String => "a string",
            JsonKind.Number => "a number",
            JsonKind.Boolean => "true or false",
            _ => "null",
        };

        private void Register(string path, JsonNode node) => _nodes[path] = node;

        /// <summary>The node registered for <paramref name="path"/> or its nearest registered parent.</summary>
        private JsonNode? NodeFor(string path)
        {
            while (true)
            {
                if (_nodes.TryGetValue(path, out JsonNode? node))
                {
                    return node;
                }

                int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
                if (cut <= 0)
                {
                    return null;
                }

                path = path.Substring(0, cut);
            }
        }

        private ModelFileException Fail(string path, string problem)
        {
            JsonNode? node = NodeFor(path);
            return new ModelFileException(_fileName, node?.Line ?? 0, node?.Column ?? 0, path, problem);
        }

        private ModelFileException Fail(string path, JsonNode node, string problem) =>
            new ModelFileException(_fileName, node.Line, node.Column, path, problem);
    }
}
