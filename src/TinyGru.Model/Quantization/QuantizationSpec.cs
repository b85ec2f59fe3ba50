namespace TinyGru.Model.Quantization
{
    /// <summary>
    /// How a quantized model runs. Weights are always symmetric int8 with one scale per output row; the mode
    /// says what happens to activations.
    /// </summary>
    public enum QuantizationMode
    {
        /// <summary>
        /// <c>w8a32</c>: int8 weights, float32 activations — weights are dequantized on the fly. Accuracy first:
        /// the only error is the weights' rounding.
        /// </summary>
        W8A32,

        /// <summary>
        /// <c>w8a8</c>: activations are quantized per step as well (the hidden state, bounded in [−1, 1], with the fixed
        /// scale 1/127; inputs with a dynamic per-step scale), dot products run in integers, and each row is rescaled
        /// once to float. Speed first.
        /// </summary>
        W8A8,
    }

    /// <summary>The quantization of a model: present on quantized models, null on float ones.</summary>
    /// <param name="Mode">What runs in int8.</param>
    public sealed record QuantizationSpec(QuantizationMode Mode)
    {
        /// <summary>The file name of <see cref="QuantizationMode.W8A32"/>.</summary>
        public const string W8A32Name = "w8a32";

        /// <summary>The file name of <see cref="QuantizationMode.W8A8"/>.</summary>
        public const string W8A8Name = "w8a8";

        /// <summary>The mode's name as written in files and on the command line.</summary>
        public string ModeName => Mode == QuantizationMode.W8A8 ? W8A8Name : W8A32Name;

        /// <summary>Parses a mode name; false for anything but the two names.</summary>
        public static bool TryParseMode(string? name, out QuantizationMode mode)
        {
            switch (name)
            {
                case W8A32Name:
                    mode = QuantizationMode.W8A32;
                    return true;
                case W8A8Name:
                    mode = QuantizationMode.W8A8;
                    return true;
                default:
                    mode = default;
                    return false;
            }
        }
    }
}
