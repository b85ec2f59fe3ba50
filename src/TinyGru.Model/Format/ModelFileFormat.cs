namespace TinyGru.Model.Format
{
    /// <summary>
    /// Constants of the TinyGru model file: UTF-8 JSON (text, because Roslyn gives source generators their
    /// AdditionalFiles as text only) whose tensors are base64 little-endian payloads with SHA-256 checksums.
    /// </summary>
    public static class ModelFileFormat
    {
        /// <summary>The value of the top-level <c>format</c> field.</summary>
        public const string FormatName = "tinygru.model";

        /// <summary>The format version this library writes and reads.</summary>
        public const int CurrentVersion = 1;

        /// <summary>The conventional file extension.</summary>
        public const string Extension = ".tgru";

        /// <summary>Head activation names as written in files.</summary>
        public const string ActivationNone = "none";

        /// <summary>Head activation names as written in files.</summary>
        public const string ActivationSigmoid = "sigmoid";
    }
}
