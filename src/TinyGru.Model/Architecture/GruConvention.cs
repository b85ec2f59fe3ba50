namespace TinyGru.Model.Architecture
{
    /// <summary>
    /// Which of the two GRU formulations a layer computes. Both store weights in PyTorch's layout
    /// (row blocks r, z, n of <c>weight_ih</c>/<c>weight_hh</c>); they differ in where the reset gate acts and
    /// which side of the update the gate weights.
    /// </summary>
    public enum GruConvention
    {
        /// <summary>
        /// <c>torch.nn.GRU</c>, cuDNN, ONNX <c>linear_before_reset=1</c>:
        /// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.
        /// </summary>
        PyTorch,

        /// <summary>
        /// Cho et al. 2014 (update written as in Chung et al. 2014): reset before the recurrent matmul,
        /// h~ = tanh(W_h x + U_h (r ⊙ h) + b_h), h' = (1 − z) ⊙ h + z ⊙ h~, with b = bias_ih + bias_hh per gate.
        /// ONNX <c>linear_before_reset=0</c> is the same family with the z rows and z biases negated.
        /// </summary>
        Cho2014,
    }

    /// <summary>Names of the conventions as written in model files and on the command line.</summary>
    public static class GruConventionNames
    {
        /// <summary>The file name of <see cref="GruConvention.PyTorch"/>.</summary>
        public const string PyTorch = "pytorch";

        /// <summary>The file name of <see cref="GruConvention.Cho2014"/>.</summary>
        public const string Cho2014 = "cho2014";

        /// <summary>The name written to files for <paramref name="convention"/>.</summary>
        public static string ToName(GruConvention convention) =>
            convention == GruConvention.Cho2014 ? Cho2014 : PyTorch;

        /// <summary>Parses a convention name; false for anything but the two names.</summary>
        public static bool TryParse(string? name, out GruConvention convention)
        {
            switch (name)
            {
                case PyTorch:
                    convention = GruConvention.PyTorch;
                    return true;
                case Cho2014:
                    convention = GruConvention.Cho2014;
                    return true;
                default:
                    convention = default;
                    return false;
            }
        }
    }
}
