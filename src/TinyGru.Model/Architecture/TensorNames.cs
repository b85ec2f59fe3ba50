using System.Globalization;

namespace TinyGru.Model.Architecture
{
    /// <summary>
    /// The names tensors carry in a model file. GRU tensors keep PyTorch's <c>nn.GRU</c> parameter names
    /// under a <c>gru.</c> prefix, so a PyTorch <c>state_dict</c> maps onto a model file name for name.
    /// </summary>
    public static class TensorNames
    {
        /// <summary>Embedding table [vocabulary, dimension].</summary>
        public const string EmbeddingWeight = "embedding.weight";

        /// <summary>Head weights [outputs, directions·H].</summary>
        public const string HeadWeight = "head.weight";

        /// <summary>Head bias [outputs].</summary>
        public const string HeadBias = "head.bias";

        /// <summary>The prefix of every GRU tensor.</summary>
        public const string GruPrefix = "gru.";

        /// <summary><c>gru.weight_ih_l{layer}[_reverse]</c>: [3H, I_layer].</summary>
        public static string WeightIh(int layer, bool reverse) => GruPrefix + PyTorchName("weight_ih", layer, reverse);

        /// <summary><c>gru.weight_hh_l{layer}[_reverse]</c>: [3H, H].</summary>
        public static string WeightHh(int layer, bool reverse) => GruPrefix + PyTorchName("weight_hh", layer, reverse);

        /// <summary><c>gru.bias_ih_l{layer}[_reverse]</c>: [3H].</summary>
        public static string BiasIh(int layer, bool reverse) => GruPrefix + PyTorchName("bias_ih", layer, reverse);

        /// <summary><c>gru.bias_hh_l{layer}[_reverse]</c>: [3H].</summary>
        public static string BiasHh(int layer, bool reverse) => GruPrefix + PyTorchName("bias_hh", layer, reverse);

        /// <summary>PyTorch's own name for an <c>nn.GRU</c> parameter, e.g. <c>weight_ih_l1_reverse</c>.</summary>
        public static string PyTorchName(string kind, int layer, bool reverse) =>
            kind + "_l" + layer.ToString(CultureInfo.InvariantCulture) + (reverse ? "_reverse" : "");
    }
}
