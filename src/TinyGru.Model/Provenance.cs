using System.Collections.Generic;

namespace TinyGru.Model
{
    /// <summary>Where a model came from: what produced it, from what data, and how well it did.</summary>
    /// <param name="Producer">The program that wrote the file, e.g. <c>tinygru 0.1.0 train</c> or <c>tinygru import</c>.</param>
    /// <param name="Source">What the weights were trained or imported from.</param>
    /// <param name="TrainingData">The data set the weights were fitted to, if known.</param>
    /// <param name="Metrics">Named results, e.g. <c>test_accuracy</c> = 0.874.</param>
    /// <param name="Notes">Free text.</param>
    public sealed record Provenance(
        string Producer,
        string? Source,
        string? TrainingData,
        IReadOnlyList<KeyValuePair<string, double>> Metrics,
        string? Notes)
    {
        /// <summary>Provenance naming only the producer.</summary>
        public static Provenance From(string producer, string? source = null, string? notes = null) =>
            new Provenance(producer, source, null, System.Array.Empty<KeyValuePair<string, double>>(), notes);
    }
}
