using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace TinyGru.Generators.Model
{
    /// <summary>A place in a file, without the syntax tree (pipeline values must not hold trees or symbols).</summary>
    /// <param name="FilePath">The source or additional file.</param>
    /// <param name="Span">Character span in the file.</param>
    /// <param name="LineSpan">Line/column span in the file.</param>
    internal readonly record struct LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
    {
        /// <summary>The Roslyn location.</summary>
        public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

        /// <summary>Captures <paramref name="location"/>, or null when it is not in a file.</summary>
        public static LocationInfo? From(Location? location)
        {
            if (location is null || location.SourceTree is null)
            {
                return null;
            }

            return new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);
        }
    }

    /// <summary>A diagnostic to report, as an equatable value.</summary>
    /// <param name="Id">The descriptor's id (see <see cref="DiagnosticDescriptors"/>).</param>
    /// <param name="Location">Where, or null for no location.</param>
    /// <param name="Arguments">The message arguments.</param>
    internal sealed record DiagnosticInfo(string Id, LocationInfo? Location, EquatableArray<string> Arguments)
    {
        /// <summary>Creates a diagnostic description.</summary>
        public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] arguments) =>
            new DiagnosticInfo(descriptor.Id, location, new EquatableArray<string>(arguments));

        /// <summary>The Roslyn diagnostic.</summary>
        public Diagnostic ToDiagnostic()
        {
            object[] args = new object[Arguments.Count];
            for (int i = 0; i < args.Length; i++)
            {
                args[i] = Arguments[i];
            }

            return Diagnostic.Create(DiagnosticDescriptors.ById(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, args);
        }
    }
}
