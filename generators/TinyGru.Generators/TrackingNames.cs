namespace TinyGru.Generators
{
    /// <summary>Names of the pipeline steps, for the driver's step tracking (incrementality tests).</summary>
    public static class TrackingNames
    {
        /// <summary>Attributed classes reduced to <c>ModelClassSpec</c>.</summary>
        public const string ModelClass = "TinyGru.ModelClass";

        /// <summary>Each .tgru AdditionalFile parsed and decoded (cached on the file's text).</summary>
        public const string ModelFile = "TinyGru.ModelFile";

        /// <summary>Project settings (folder, size threshold, target framework support).</summary>
        public const string Settings = "TinyGru.Settings";

        /// <summary>Each class matched with its model file.</summary>
        public const string Match = "TinyGru.Match";

        /// <summary>The emitted source of each class.</summary>
        public const string Emit = "TinyGru.Emit";
    }
}
