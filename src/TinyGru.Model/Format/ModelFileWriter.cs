using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;

namespace TinyGru.Model.Format
{
    /// <summary>
    /// Writes a <see cref="GruModel"/> as a TinyGru model file: stable field order, one field per line, one
    /// vocabulary token per line, each tensor payload on one line — so diffs and error line numbers stay readable.
    /// </summary>
    public static class ModelFileWriter
    {
        /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically (temp file + rename).</summary>
        public static void Write(GruModel model, string path) => AtomicFile.WriteText(path, writer => Write(model, writer));

        /// <summary>The model file text of <paramref name="model"/>.</summary>
        public static string ToText(GruModel model)
        {
            using var writer = new StringWriter(CultureInfo.InvariantCulture);
            Write(model, writer);
            return writer.ToString();
        }

        /// <summary>Writes the model file text of <paramref name="model"/> to <paramref name="writer"/>.</summary>
        public static void Write(GruModel model, TextWriter writer)
        {
            writer.NewLine = "\n";
            writer.WriteLine("{");
            writer.WriteLine($"  \"format\": {Quote(ModelFileFormat.FormatName)},");
            writer.WriteLine($"  \"formatVersion\": {ModelFileFormat.CurrentVersion},");
            WriteProvenance(model.Provenance, writer);
            WriteArchitecture(model.Architecture, writer);
            if (model.Quantization is { } quantization)
            {
                writer.WriteLine($"  \"quantization\": {{ \"mode\": {Quote(quantization.ModeName)} }},");
            }

            if (model.Text is not null)
            {
                WriteText(model.Text, writer);
            }

            WriteTensors(model.Tensors, writer);
            writer.WriteLine("}");
        }

        private static void WriteProvenance(Provenance provenance, TextWriter writer)
        {
            var fields = new List<string> { $"\"producer\": {Quote(provenance.Producer)}" };
            if (provenance.Source is not null)
            {
                fields.Add($"\"source\": {Quote(provenance.Source)}");
            }

            if (provenance.TrainingData is not null)
            {
                fields.Add($"\"trainingData\": {Quote(provenance.TrainingData)}");
            }

            if (provenance.Metrics.Count > 0)
            {
                var metrics = new List<string>();
                foreach (KeyValuePair<string, double> metric in provenance.Metrics)
                {
                    metrics.Add($"      {Quote(metric.Key)}: {metric.Value.ToString("R", CultureInfo.InvariantCulture)}");
                }

                fields.Add("\"metrics\": {\n" + string.Join(",\n", metrics) + "\n    }");
            }

            if (provenance.Notes is not null)
            {
                fields.Add($"\"notes\": {Quote(provenance.Notes)}");
            }

            WriteObject(writer, "provenance", fields);
        }

        private static void WriteArchitecture(NetworkArchitecture architecture, TextWriter writer)
        {
            var layers = new List<string>();
            if (architecture.Embedding is { } e)
            {
                string padding = e.PaddingIndex is int p ? Int(p) : "null";
                layers.Add($"\"embedding\": {{ \"vocabularySize\": {Int(e.VocabularySize)}, \"dimension\": {Int(e.Dimension)}, \"paddingIndex\": {padding} }}");
            }

            GruStackSpec g = architecture.Gru;
            layers.Add($"\"gru\": {{ \"inputSize\": {Int(g.InputSize)}, \"hiddenSize\": {Int(g.HiddenSize)}, \"layers\": {Int(g.Layers)}, " +
                       $"\"bidirectional\": {(g.Bidirectional ? "true" : "false")}, \"convention\": {Quote(GruConventionNames.ToName(g.Convention))} }}");
            if (architecture.Head is { } h)
            {
                string activation = h.Activation == OutputActivation.Sigmoid ? ModelFileFormat.ActivationSigmoid : ModelFileFormat.ActivationNone;
                layers.Add($"\"head\": {{ \"outputs\": {Int(h.Outputs)}, \"activation\": {Quote(activation)} }}");
            }

            WriteObject(writer, "architecture", layers);
        }

        private static void WriteText(TextSpec text, TextWriter writer)
        {
            writer.WriteLine("  \"text\": {");
            writer.WriteLine($"    \"tokenizer\": {{ \"kind\": {Quote(text.Tokenizer.Kind)}, \"lowercase\": {(text.Tokenizer.Lowercase ? "true" : "false")} }},");
            writer.WriteLine($"    \"unknownToken\": {Quote(text.UnknownToken)},");
            writer.WriteLine($"    \"paddingToken\": {Quote(text.PaddingToken)},");
            writer.WriteLine("    \"vocabulary\": [");
            for (int i = 0; i < text.Vocabulary.Count; i++)
            {
                writer.Write("      ");
                writer.Write(Quote(text.Vocabulary[i]));
                writer.WriteLine(i + 1 < text.Vocabulary.Count ? "," : "");
            }

            writer.WriteLine("    ]");
            writer.WriteLine("  },");
        }

        private static void WriteTensors(IReadOnlyList<Tensor> tensors, TextWriter writer)
        {
            writer.WriteLine("  \"tensors\": [");
            for (int i = 0; i < tensors.Count; i++)
            {
                Tensor tensor = tensors[i];
                bool int8 = tensor.DataType == TensorDataType.Int8;
                byte[] bytes = TensorPayload.ToBytes(tensor);
                writer.WriteLine("    {");
                writer.WriteLine($"      \"name\": {Quote(tensor.Name)},");
                writer.WriteLine($"      \"dtype\": {Quote(TensorDataTypeNames.ToName(tensor.DataType))},");
                writer.WriteLine($"      \"shape\": {tensor.ShapeText},");
                writer.WriteLine($"      \"checksum\": {Quote(TensorPayload.Checksum(bytes))},");
                writer.Write("      \"data\": \"");
                writer.Write(Convert.ToBase64String(bytes));
                if (int8)
                {
                    byte[] scales = TensorPayload.ToBytes(tensor.RowScales!);
                    writer.WriteLine("\",");
                    writer.WriteLine($"      \"rowScales\": {{ \"checksum\": {Quote(TensorPayload.Checksum(scales))}, \"data\": \"{Convert.ToBase64String(scales)}\" }}");
                }
                else
                {
                    writer.WriteLine("\"");
                }

                writer.WriteLine(i + 1 < tensors.Count ? "    }," : "    }");
            }

            writer.WriteLine("  ]");
        }

        private static void WriteObject(TextWriter writer, string name, List<string> fields)
        {
            writer.WriteLine($"  {Quote(name)}: {{");
            for (int i = 0; i < fields.Count; i++)
            {
                writer.Write("    ");
                writer.Write(fields[i]);
                writer.WriteLine(i + 1 < fields.Count ? "," : "");
            }

            writer.WriteLine("  },");
        }

        private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>A JSON string literal for <paramref name="value"/>.</summary>
        internal static string Quote(string value)
        {
            var builder = new StringBuilder(value.Length + 2).Append('"');
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < ' ')
                        {
                            builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        }
                        else
                        {
                            builder.Append(c);
                        }

                        break;
                }
            }

            return builder.Append('"').ToString();
        }
    }
}
