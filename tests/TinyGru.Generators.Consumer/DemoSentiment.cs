using TinyGru;

namespace TinyGru.Consumer;

/// <summary>The demo sentiment model (untrained, Embedding 1000 × 64 → GRU 64 → Linear 1 + sigmoid), compiled into C#.</summary>
[GruModel("../../models/demo-untrained-s02.tgru")]
public partial class DemoSentiment;

/// <summary>The same model quantized to int8 with <c>tinygru quantize --mode w8a8</c>: integer dot products.</summary>
[GruModel("../../models/demo-untrained-s02-w8a8.tgru")]
public partial class DemoSentimentW8A8;
