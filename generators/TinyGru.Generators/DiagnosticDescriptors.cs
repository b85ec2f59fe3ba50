using System;
using Microsoft.CodeAnalysis;

namespace TinyGru.Generators
{
    /// <summary>Every diagnostic the TinyGru generator reports, in one table.</summary>
    internal static class DiagnosticDescriptors
    {
        private const string Category = "TinyGru";

        /// <summary>The attribute names a file that is not among the AdditionalFiles.</summary>
        public static readonly DiagnosticDescriptor ModelFileNotFound = new DiagnosticDescriptor(
            "TGRU001", "Model file not found",
            "The model file '{0}' of class '{1}' is not an AdditionalFile of this project: add <AdditionalFiles Include=\"{0}\" /> to the project file (the path is relative to the declaring source file or to the project folder)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The model file cannot be read as a TinyGru model.</summary>
        public static readonly DiagnosticDescriptor InvalidModelFile = new DiagnosticDescriptor(
            "TGRU002", "Invalid model file",
            "Invalid TinyGru model file: {0}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The file's format version is not the one this generator reads.</summary>
        public static readonly DiagnosticDescriptor UnsupportedFormatVersion = new DiagnosticDescriptor(
            "TGRU003", "Unsupported model format version",
            "Unsupported TinyGru model format version: {0}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The model uses a layer, convention, activation or tokenizer this generator cannot compile.</summary>
        public static readonly DiagnosticDescriptor UnsupportedFeature = new DiagnosticDescriptor(
            "TGRU004", "Unsupported model feature",
            "The model uses something this TinyGru generator cannot compile: {0}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The attributed class is not partial.</summary>
        public static readonly DiagnosticDescriptor ClassNotPartial = new DiagnosticDescriptor(
            "TGRU005", "Model class must be partial",
            "Class '{0}' carries [GruModel] and must be declared 'partial' so the generator can add the inference code",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The attributed class is nested in another type.</summary>
        public static readonly DiagnosticDescriptor ClassNested = new DiagnosticDescriptor(
            "TGRU006", "Model class must not be nested",
            "Class '{0}' carries [GruModel] but is nested in another type; declare it at namespace level",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The attributed class is generic.</summary>
        public static readonly DiagnosticDescriptor ClassGeneric = new DiagnosticDescriptor(
            "TGRU007", "Model class must not be generic",
            "Class '{0}' carries [GruModel] but is generic; a model class has fixed sizes and no type parameters",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The attribute's argument is not a usable path.</summary>
        public static readonly DiagnosticDescriptor AttributeMisuse = new DiagnosticDescriptor(
            "TGRU008", "Invalid [GruModel] argument",
            "[GruModel] on '{0}' needs one constant, non-empty path to a .tgru model file: {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The model's weights are large enough to slow builds and bloat the assembly.</summary>
        public static readonly DiagnosticDescriptor ModelTooLarge = new DiagnosticDescriptor(
            "TGRU009", "Large model",
            "The model '{0}' holds {1} bytes of weights, above the warning threshold of {2} bytes (MSBuild property TinyGruMaxModelBytes): builds get slower and the assembly grows by the weight size",
            Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

        /// <summary>Several AdditionalFiles end with the attribute's path.</summary>
        public static readonly DiagnosticDescriptor AmbiguousModelFile = new DiagnosticDescriptor(
            "TGRU010", "Ambiguous model file",
            "The model path '{0}' matches several AdditionalFiles ({1}); write a path relative to the project folder that names one",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>An unexpected failure inside the generator (a bug): reported instead of crashing the build.</summary>
        public static readonly DiagnosticDescriptor InternalError = new DiagnosticDescriptor(
            "TGRU011", "TinyGru generator failure",
            "The TinyGru generator failed on '{0}': {1}",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>The target framework lacks the hardware intrinsics and inline arrays the generated code uses.</summary>
        public static readonly DiagnosticDescriptor TargetFrameworkTooOld = new DiagnosticDescriptor(
            "TGRU012", "Target framework not supported",
            "Class '{0}': TinyGru generated code needs .NET 8 or later (System.Runtime.Intrinsics.Vector512 and inline arrays)",
            Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

        /// <summary>All descriptors, in id order.</summary>
        public static readonly DiagnosticDescriptor[] All =
        {
            ModelFileNotFound, InvalidModelFile, UnsupportedFormatVersion, UnsupportedFeature, ClassNotPartial, ClassNested,
            ClassGeneric, AttributeMisuse, ModelTooLarge, AmbiguousModelFile, InternalError, TargetFrameworkTooOld,
        };

        /// <summary>The descriptor with <paramref name="id"/>.</summary>
        public static DiagnosticDescriptor ById(string id)
        {
            foreach (DiagnosticDescriptor descriptor in All)
            {
                if (descriptor.Id == id)
                {
                    return descriptor;
                }
            }

            throw new ArgumentException("unknown diagnostic id " + id, nameof(id));
        }
    }
}
