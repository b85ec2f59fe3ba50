namespace TinyGru.Generators.Model
{
    /// <summary>A class carrying <c>[GruModel(...)]</c>, reduced to what emission and matching need.</summary>
    /// <param name="Namespace">The containing namespace, or null for the global namespace.</param>
    /// <param name="Name">The class name.</param>
    /// <param name="ModelPath">The path written in the attribute (null when the attribute is misused).</param>
    /// <param name="DeclaringFilePath">The source file of the attributed declaration.</param>
    /// <param name="AttributeLocation">Where the attribute is, for diagnostics about the model file.</param>
    /// <param name="Diagnostics">Problems with the class or the attribute; when any exist nothing is generated.</param>
    internal sealed record ModelClassSpec(
        string? Namespace,
        string Name,
        string? ModelPath,
        string DeclaringFilePath,
        LocationInfo? AttributeLocation,
        EquatableArray<DiagnosticInfo> Diagnostics)
    {
        /// <summary>The hint name of the generated file.</summary>
        public string HintName => (Namespace is null ? Name : Namespace + "." + Name) + ".TinyGru.g.cs";
    }
}
