using TinyGru.Model.Architecture;

namespace TinyGru.Training.Loop;

/// <summary>Which optimizer updates the weights.</summary>
public enum OptimizerKind
{
    /// <summary><see cref="Optim.Adam"/>.</summary>
    Adam,

    /// <summary><see cref="Optim.Sgd"/>.</summary>
    Sgd,
}

/// <summary>Everything that shapes a training run. The defaults are the seed's configuration (the PyTorch tutorial's).</summary>
public sealed record TrainerOptions
{
    /// <summary>Embedding dimension.</summary>
    public int EmbeddingDimension { get; init; } = 100;

    /// <summary>GRU state size per direction.</summary>
    public int HiddenSize { get; init; } = 256;

    /// <summary>Stacked GRU layers.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether every layer also runs backwards.</summary>
    public bool Bidirectional { get; init; }

    /// <summary>The GRU equations.</summary>
    public GruConvention Convention { get; init; } = GruConvention.PyTorch;

    /// <summary>Dropout probability on the head's input during training (0 = none).</summary>
    public double Dropout { get; init; } = 0.5;

    /// <summary>Sequences per optimizer step.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>SGD momentum.</summary>
    public double Momentum { get; init; }

    /// <summary>Global gradient-norm limit (clip_grad_norm_), or null for none.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Stop after this many epochs without a better validation loss, or null to run every epoch.</summary>
    public int? EarlyStoppingPatience { get; init; }

    /// <summary>The seed of every random choice (split, initialisation, shuffling, dropout).</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Batch shards computed in parallel (each on its own core); part of the arithmetic, so part of the seed's reproducibility.</summary>
    public int Shards { get; init; } = 2;

    /// <summary>Consecutive batches sorted by length together (length bucketing pool, in batches).</summary>
    public int BucketPool { get; init; } = 50;

    /// <summary>Write a checkpoint every this many batches (and at every epoch end).</summary>
    public int CheckpointEvery { get; init; } = 100;
}
