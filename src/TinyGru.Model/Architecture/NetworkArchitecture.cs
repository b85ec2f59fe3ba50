using System.Collections.Generic;

namespace TinyGru.Model.Architecture
{
    /// <summary>
    /// The shape of a TinyGru network: an optional token embedding, a GRU stack, and an optional linear head.
    /// Holds sizes only; weights live in <see cref="GruModel.Tensors"/>.
    /// </summary>
    /// <param name="Embedding">Token ids → vectors, or null when the network reads float feature vectors.</param>
    /// <param name="Gru">The recurrent stack.</param>
    /// <param name="Head">The linear read-out of the last layer's final state(s), or null for a bare GRU.</param>
    public sealed record NetworkArchitecture(EmbeddingSpec? Embedding, GruStackSpec Gru, HeadSpec? Head)
    {
        /// <summary>How many numbers the head reads: the last layer's final state per direction, concatenated (forward, reverse).</summary>
        public int HeadInputSize => Gru.OutputSize;

        /// <summary>Every tensor this architecture needs, with its expected shape and what it holds, in file order.</summary>
        public IReadOnlyList<TensorSlot> TensorSlots()
        {
            var slots = new List<TensorSlot>();
            if (Embedding is not null)
            {
                slots.Add(new TensorSlot(TensorNames.EmbeddingWeight, new[] { Embedding.VocabularySize, Embedding.Dimension },
                    "embedding table [vocabulary, dimension]"));
            }

            int h = Gru.HiddenSize;
            for (int layer = 0; layer < Gru.Layers; layer++)
            {
                int inputSize = Gru.LayerInputSize(layer);
                for (int direction = 0; direction < Gru.Directions; direction++)
                {
                    bool reverse = direction == 1;
                    slots.Add(new TensorSlot(TensorNames.WeightIh(layer, reverse), new[] { 3 * h, inputSize },
                        "input weights, row blocks r, z, n [3H, I]"));
                    slots.Add(new TensorSlot(TensorNames.WeightHh(layer, reverse), new[] { 3 * h, h },
                        "recurrent weights, row blocks r, z, n [3H, H]"));
                    slots.Add(new TensorSlot(TensorNames.BiasIh(layer, reverse), new[] { 3 * h },
                        "input bias, blocks r, z, n [3H]"));
                    slots.Add(new TensorSlot(TensorNames.BiasHh(layer, reverse), new[] { 3 * h },
                        "recurrent bias, blocks r, z, n [3H]"));
                }
            }

            if (Head is not null)
            {
                slots.Add(new TensorSlot(TensorNames.HeadWeight, new[] { Head.Outputs, HeadInputSize },
                    "head weights [outputs, directions·H]"));
                slots.Add(new TensorSlot(TensorNames.HeadBias, new[] { Head.Outputs }, "head bias [outputs]"));
            }

            return slots;
        }
    }

    /// <summary>A token embedding table.</summary>
    /// <param name="VocabularySize">Number of rows: token ids run from 0 to VocabularySize − 1.</param>
    /// <param name="Dimension">Length of each row; must equal the GRU's input size.</param>
    /// <param name="PaddingIndex">The id of the padding token (its row is never trained), or null.</param>
    public sealed record EmbeddingSpec(int VocabularySize, int Dimension, int? PaddingIndex);

    /// <summary>A stack of GRU layers.</summary>
    /// <param name="InputSize">Features per step that layer 0 reads.</param>
    /// <param name="HiddenSize">State size H of every layer and direction.</param>
    /// <param name="Layers">Number of stacked layers; layer k &gt; 0 reads the concatenated outputs of layer k − 1.</param>
    /// <param name="Bidirectional">Whether each layer also runs a reverse-time direction.</param>
    /// <param name="Convention">Which GRU equations the cells compute.</param>
    public sealed record GruStackSpec(int InputSize, int HiddenSize, int Layers, bool Bidirectional, GruConvention Convention)
    {
        /// <summary>1 or 2.</summary>
        public int Directions => Bidirectional ? 2 : 1;

        /// <summary>Features per step a layer emits: Directions · H.</summary>
        public int OutputSize => Directions * HiddenSize;

        /// <summary>Features per step that <paramref name="layer"/> reads.</summary>
        public int LayerInputSize(int layer) => layer == 0 ? InputSize : OutputSize;
    }

    /// <summary>What the head applies to its linear outputs.</summary>
    public enum OutputActivation
    {
        /// <summary>Raw linear outputs (logits, regression values).</summary>
        None,

        /// <summary>Logistic sigmoid: outputs are probabilities.</summary>
        Sigmoid,
    }

    /// <summary>A linear read-out of the final hidden state.</summary>
    /// <param name="Outputs">Number of outputs.</param>
    /// <param name="Activation">Applied to each output.</param>
    public sealed record HeadSpec(int Outputs, OutputActivation Activation);

    /// <summary>A tensor an architecture needs: its name, its shape, and what it is.</summary>
    /// <param name="Name">The tensor's name in the model file.</param>
    /// <param name="Shape">The expected shape.</param>
    /// <param name="Description">What it holds, for error messages and <c>tinygru inspect</c>.</param>
    public sealed record TensorSlot(string Name, int[] Shape, string Description);
}
