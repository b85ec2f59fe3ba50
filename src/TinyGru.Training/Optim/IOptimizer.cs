using TinyGru.Training.Model;

namespace TinyGru.Training.Optim;

/// <summary>Updates weights in place from their gradients.</summary>
public interface IOptimizer
{
    /// <summary>Steps taken so far.</summary>
    long Steps { get; }

    /// <summary>Applies one update to <paramref name="weights"/> from <paramref name="gradients"/> (same layout).</summary>
    void Step(ParameterSet weights, ParameterSet gradients);

    /// <summary>The optimizer's state tensors (for checkpoints), in a fixed order; empty when stateless.</summary>
    System.Collections.Generic.IReadOnlyList<ParameterSet> State { get; }

    /// <summary>Restores the step count (with <see cref="State"/> filled by the caller) from a checkpoint.</summary>
    void Restore(long steps);
}
