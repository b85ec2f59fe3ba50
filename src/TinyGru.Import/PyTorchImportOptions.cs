using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Text;

namespace TinyGru.Import;

/// <summary>What a PyTorch <c>state_dict</c> does not say about the network, and must be told.</summary>
public sealed record PyTorchImportOptions
{
    /// <summary>The GRU equations the weights were trained with (<c>nn.GRU</c>: <see cref="GruConvention.PyTorch"/>).</summary>
    public GruConvention Convention { get; init; } = GruConvention.PyTorch;

    /// <summary>The embedding's <c>padding_idx</c>, which a state_dict does not record.</summary>
    public int? PaddingIndex { get; init; }

    /// <summary>The head's activation; null picks sigmoid for one output (a BCE-with-logits classifier) and none otherwise.</summary>
    public OutputActivation? HeadActivation { get; init; }

    /// <summary>The GRU module's key prefix (e.g. <c>rnn.</c>); null finds the one key prefix of <c>weight_ih_l0</c>.</summary>
    public string? GruPrefix { get; init; }

    /// <summary>The embedding's key.</summary>
    public string EmbeddingKey { get; init; } = "embedding.weight";

    /// <summary>The linear head's key prefix; null tries <c>fc.</c>, <c>head.</c>, <c>linear.</c>, <c>out.</c>, <c>classifier.</c>.</summary>
    public string? HeadPrefix { get; init; }

    /// <summary>Vocabulary and tokenizer for a text model, or null.</summary>
    public TextSpec? Text { get; init; }

    /// <summary>Provenance to record; null records the importer and nothing else.</summary>
    public Provenance? Provenance { get; init; }
}
