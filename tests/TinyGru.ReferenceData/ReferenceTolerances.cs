namespace TinyGru.ReferenceData;

/// <summary>
/// Absolute tolerances for comparing a float32 implementation with the golden vectors, as
/// <c>shared/reference/README.md</c> ("Tolerances") prescribes for exact tanh/exp.
/// </summary>
public static class ReferenceTolerances
{
    /// <summary>GRU <c>output</c>/<c>h_n</c>: about 7× the worst float32-vs-float64 difference measured (1.4e-6).</summary>
    public const double GruForward = 1e-5;

    /// <summary>Sentiment logits and probabilities.</summary>
    public const double Sentiment = 1e-5;
}
