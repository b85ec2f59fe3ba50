using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TinyGru.Generators.Model;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Model.Tensors;
using TinyGru.Model.Text;

namespace TinyGru.Generators
{
    public sealed partial class GruModelGenerator
    {
        /// <summary>Default of the MSBuild property <c>TinyGruMaxModelBytes</c>: the TGRU009 warning threshold.</summary>
        public const long DefaultMaxModelBytes = 64L << 20;

        /// <summary>Turns syntax, symbols and file text into equatable specs. Never throws.</summary>
        internal static class Parser
        {
            /// <summary>Reduces an attributed class to a <see cref="ModelClassSpec"/>, checking its shape.</summary>
            public static ModelClassSpec ReadClass(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
            {
                var symbol = (INamedTypeSymbol)context.TargetSymbol;
                var declaration = (ClassDeclarationSyntax)context.TargetNode;
                var diagnostics = new List<DiagnosticInfo>();
                LocationInfo? nameLocation = LocationInfo.From(declaration.Identifier.GetLocation());
                AttributeData attribute = context.Attributes[0];
                LocationInfo? attributeLocation =
                    LocationInfo.From(attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation()) ?? nameLocation;
                string name = symbol.Name;

                if (!declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, nameLocation, name));
                }

                if (symbol.ContainingType is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNested, nameLocation, name));
                }

                if (symbol.TypeParameters.Length > 0)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassGeneric, nameLocation, name));
                }

                string? path = null;
                if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string text)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AttributeMisuse, attributeLocation, name, "the argument is missing or not a constant string"));
                }
                else if (string.IsNullOrWhiteSpace(text))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AttributeMisuse, attributeLocation, name, "the path is empty"));
                }
                else if (!text.EndsWith(ModelFileFormat.Extension, StringComparison.OrdinalIgnoreCase))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AttributeMisuse, attributeLocation, name,
                        "the file name must end in " + ModelFileFormat.Extension));
                }
                else
                {
                    path = text;
                }

                string? ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } containing
                    ? containing.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "")
                    : null;
                return new ModelClassSpec(ns, name, path, declaration.SyntaxTree.FilePath, attributeLocation, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
            }

            /// <summary>Whether the compilation's framework has what the generated code uses (.NET 8+).</summary>
            public static bool HasIntrinsics(Compilation compilation) =>
                compilation.GetTypeByMetadataName("System.Runtime.Intrinsics.Vector512`1") is not null
                && compilation.GetTypeByMetadataName("System.Runtime.CompilerServices.InlineArrayAttribute") is not null;

            /// <summary>Whether the project compiles with <c>AllowUnsafeBlocks</c>, which <c>[SkipLocalsInit]</c> requires (CS0227).</summary>
            public static bool AllowsUnsafe(Compilation compilation) => compilation.Options is CSharpCompilationOptions { AllowUnsafe: true };

            /// <summary>Reads the project folder and the size threshold from the build properties.</summary>
            public static ProjectSettings ReadSettings(AnalyzerConfigOptions options, bool hasIntrinsics, bool allowsUnsafe)
            {
                options.TryGetValue("build_property.projectdir", out string? projectDirectory);
                long maxBytes = DefaultMaxModelBytes;
                if (options.TryGetValue("build_property.tinygrumaxmodelbytes", out string? text)
                    && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) && parsed > 0)
                {
                    maxBytes = parsed;
                }

                return new ProjectSettings(string.IsNullOrWhiteSpace(projectDirectory) ? null : projectDirectory, maxBytes, hasIntrinsics, allowsUnsafe);
            }

            /// <summary>Parses and validates one model file with the shared reader; every fault becomes a located diagnostic.</summary>
            public static ModelFileSpec ReadModelFile(string path, SourceText? text)
            {
                if (text is null)
                {
                    return new ModelFileSpec(path, null, DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModelFile,
                        new LocationInfo(path, default, default), path + ": the file cannot be read"));
                }

                try
                {
                    GruModel model = ModelFileReader.Parse(text.ToString(), path);
                    if (model.Text is { } textSpec && textSpec.Tokenizer.Kind != ReviewTokenizer.KindName)
                    {
                        return new ModelFileSpec(path, null, DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedFeature,
                            new LocationInfo(path, default, default),
                            $"text.tokenizer.kind: tokenizer \"{textSpec.Tokenizer.Kind}\" (known: \"{ReviewTokenizer.KindName}\")"));
                    }

                    return new ModelFileSpec(path, ToSpec(model), null);
                }
                catch (ModelFileException e)
                {
                    LocationInfo location = Locate(path, text, e.Line, e.Column);
                    string message = e.FieldPath + ": " + e.Problem;
                    DiagnosticDescriptor descriptor =
                        e.FieldPath == "formatVersion" ? DiagnosticDescriptors.UnsupportedFormatVersion
                        : (e.FieldPath.StartsWith("architecture", StringComparison.Ordinal) || e.FieldPath.StartsWith("text.tokenizer", StringComparison.Ordinal))
                          && e.Problem.IndexOf("unknown", StringComparison.OrdinalIgnoreCase) >= 0 ? DiagnosticDescriptors.UnsupportedFeature
                        : DiagnosticDescriptors.InvalidModelFile;
                    return new ModelFileSpec(path, null, DiagnosticInfo.Create(descriptor, location, message));
                }
                catch (Exception e)
                {
                    // The reader promises ModelFileException only; anything else is still a diagnostic, never a crash.
                    return new ModelFileSpec(path, null, DiagnosticInfo.Create(DiagnosticDescriptors.InvalidModelFile,
                        new LocationInfo(path, default, default), "(document): " + e.GetType().Name + ": " + e.Message));
                }
            }

            /// <summary>Pairs a class with its model file and checks project-wide conditions.</summary>
            public static GenerationSpec Match(ModelClassSpec @class, ImmutableArray<ModelFileSpec> files, ProjectSettings settings)
            {
                var diagnostics = new List<DiagnosticInfo>(@class.Diagnostics);
                if (!settings.HasIntrinsics)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.TargetFrameworkTooOld, @class.AttributeLocation, @class.Name));
                }

                if (diagnostics.Count > 0 || @class.ModelPath is null)
                {
                    return new GenerationSpec(@class, null, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
                }

                ModelFileSpec? file = FindFile(@class, files, settings, diagnostics);
                if (file is not null)
                {
                    if (file.Error is not null)
                    {
                        diagnostics.Add(file.Error);
                    }
                    else if (file.Model is { } model && model.WeightBytes > settings.MaxModelBytes)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelTooLarge, @class.AttributeLocation, @class.ModelPath,
                            model.WeightBytes.ToString(CultureInfo.InvariantCulture), settings.MaxModelBytes.ToString(CultureInfo.InvariantCulture)));
                    }
                }

                return new GenerationSpec(@class, file?.Model, new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()), settings.AllowsUnsafe);
            }

            private static ModelFileSpec? FindFile(ModelClassSpec @class, ImmutableArray<ModelFileSpec> files, ProjectSettings settings, List<DiagnosticInfo> diagnostics)
            {
                string wanted = NormalizePath(@class.ModelPath!);
                var exact = new List<string>();
                if (IsRooted(wanted))
                {
                    exact.Add(wanted);
                }
                else
                {
                    exact.Add(NormalizePath(DirectoryOf(@class.DeclaringFilePath) + "/" + wanted));
                    if (settings.ProjectDirectory is not null)
                    {
                        exact.Add(NormalizePath(settings.ProjectDirectory + "/" + wanted));
                    }
                }

                // 1. The path resolved against the declaring file's folder, then the project folder.
                foreach (string candidate in exact)
                {
                    foreach (ModelFileSpec file in files)
                    {
                        if (string.Equals(NormalizePath(file.Path), candidate, StringComparison.Ordinal))
                        {
                            return file;
                        }
                    }
                }

                // 2. A unique AdditionalFile whose path ends with the written path.
                string suffix = "/" + TrimRelativePrefix(wanted);
                var matches = new List<ModelFileSpec>();
                foreach (ModelFileSpec file in files)
                {
                    string normalized = NormalizePath(file.Path);
                    if (normalized.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                        || string.Equals(normalized, TrimRelativePrefix(wanted), StringComparison.OrdinalIgnoreCase))
                    {
                        matches.Add(file);
                    }
                }

                if (matches.Count == 1)
                {
                    return matches[0];
                }

                if (matches.Count > 1)
                {
                    var names = new List<string>();
                    foreach (ModelFileSpec match in matches)
                    {
                        names.Add(match.Path);
                    }

                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AmbiguousModelFile, @class.AttributeLocation, @class.ModelPath!, string.Join(", ", names)));
                    return null;
                }

                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelFileNotFound, @class.AttributeLocation, @class.ModelPath!, @class.Name));
                return null;
            }

            /// <summary>Forward slashes, no empty or <c>.</c> segments, <c>..</c> resolved where possible.</summary>
            internal static string NormalizePath(string path)
            {
                string p = path.Replace('\\', '/');
                bool rooted = p.StartsWith("/", StringComparison.Ordinal);
                var segments = new List<string>();
                foreach (string segment in p.Split('/'))
                {
                    if (segment.Length == 0 || segment == ".")
                    {
                        continue;
                    }

                    if (segment == ".." && segments.Count > 0 && segments[segments.Count - 1] != "..")
                    {
                        segments.RemoveAt(segments.Count - 1);
                        continue;
                    }

                    segments.Add(segment);
                }

                return (rooted ? "/" : "") + string.Join("/", segments);
            }

            private static bool IsRooted(string normalized) =>
                normalized.StartsWith("/", StringComparison.Ordinal) || (normalized.Length >= 2 && normalized[1] == ':');

            private static string TrimRelativePrefix(string normalized)
            {
                string p = normalized;
                while (p.StartsWith("../", StringComparison.Ordinal))
                {
                    p = p.Substring(3);
                }

                return p;
            }

            private static string DirectoryOf(string filePath)
            {
                string p = filePath.Replace('\\', '/');
                int slash = p.LastIndexOf('/');
                return slash < 0 ? "" : p.Substring(0, slash);
            }

            private static LocationInfo Locate(string path, SourceText text, int line, int column)
            {
                if (line < 1 || line > text.Lines.Count)
                {
                    return new LocationInfo(path, default, default);
                }

                TextLine textLine = text.Lines[line - 1];
                int offset = Math.Min(textLine.Start + Math.Max(0, column - 1), textLine.End);
                var position = new LinePosition(line - 1, offset - textLine.Start);
                return new LocationInfo(path, new TextSpan(offset, 0), new LinePositionSpan(position, position));
            }

            private static ModelSpec ToSpec(GruModel model)
            {
                NetworkArchitecture a = model.Architecture;
                var tensors = new TensorSpec[model.Tensors.Count];
                for (int i = 0; i < tensors.Length; i++)
                {
                    Tensor t = model.Tensors[i];
                    tensors[i] = t.Quantized is { } q && t.RowScales is { } scales
                        ? new TensorSpec(t.Name, new EquatableArray<float>((float[])t.Values.Clone()), new EquatableArray<sbyte>((sbyte[])q.Clone()), new EquatableArray<float>((float[])scales.Clone()))
                        : new TensorSpec(t.Name, new EquatableArray<float>((float[])t.Values.Clone()), new EquatableArray<sbyte>(Array.Empty<sbyte>()), new EquatableArray<float>(Array.Empty<float>()));
                }

                TextModelSpec? text = null;
                if (model.Text is { } t2)
                {
                    var vocabulary = new string[t2.Vocabulary.Count];
                    for (int i = 0; i < vocabulary.Length; i++)
                    {
                        vocabulary[i] = t2.Vocabulary[i];
                    }

                    text = new TextModelSpec(t2.Tokenizer.Kind, t2.Tokenizer.Lowercase, t2.UnknownId, t2.PaddingId, new EquatableArray<string>(vocabulary));
                }

                return new ModelSpec(
                    a.Gru.Convention == GruConvention.Cho2014,
                    a.Gru.InputSize,
                    a.Gru.HiddenSize,
                    a.Gru.Layers,
                    a.Gru.Bidirectional,
                    a.Embedding?.VocabularySize ?? 0,
                    a.Embedding?.PaddingIndex ?? -1,
                    a.Head?.Outputs ?? 0,
                    a.Head?.Activation == OutputActivation.Sigmoid,
                    text,
                    new EquatableArray<TensorSpec>(tensors),
                    model.ParameterCount,
                    model.Provenance.Producer,
                    model.Provenance.Source,
                    model.Quantization is null ? QuantizationKind.None
                        : model.Quantization.Mode == TinyGru.Model.Quantization.QuantizationMode.W8A8 ? QuantizationKind.W8A8 : QuantizationKind.W8A32);
            }
        }
    }
}
