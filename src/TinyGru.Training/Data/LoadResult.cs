using System.Collections.Generic;

namespace TinyGru.Training.Data;

/// <summary>How data files are read.</summary>
/// <param name="SkipBadRows">Skip and count rows that cannot be read instead of failing on the first.</param>
public sealed record DataLoadOptions(bool SkipBadRows = false);

/// <summary>The examples read from one source, and the bad rows skipped (only with <see cref="DataLoadOptions.SkipBadRows"/>).</summary>
/// <param name="Examples">Every readable example, in file order.</param>
/// <param name="Skipped">The skipped rows' problems, each <c>file:line: reason</c>.</param>
public sealed record LoadResult(IReadOnlyList<LabeledText> Examples, IReadOnlyList<string> Skipped);

/// <summary>Collects examples and bad rows while a loader reads.</summary>
internal sealed class LoadCollector(DataLoadOptions options)
{
    private readonly List<LabeledText> _examples = new();
    private readonly List<string> _skipped = new();

    public void Add(LabeledText example) => _examples.Add(example);

    /// <summary>Skips the row, or throws when skipping was not asked for.</summary>
    public void Bad(string location, string reason)
    {
        if (!options.SkipBadRows)
        {
            throw new DataFormatException(location, reason);
        }

        _skipped.Add(location + ": " + reason);
    }

    public LoadResult Result() => new(_examples, _skipped);
}
