using TinyGru;

namespace TinyGru.Benchmarks;

/// <summary>S1: GRU(1, 8).</summary>
[GruModel("models/s1.tgru")]
public partial class S1;

/// <summary>S2: GRU(3, 16).</summary>
[GruModel("models/s2.tgru")]
public partial class S2;

/// <summary>S3: GRU(32, 64).</summary>
[GruModel("models/s3.tgru")]
public partial class S3;

/// <summary>S4: GRU(100, 256).</summary>
[GruModel("models/s4.tgru")]
public partial class S4;

/// <summary>S3 quantized with <c>tinygru quantize --mode w8a8</c>: int8 weights and activations.</summary>
[GruModel("models/s3-w8a8.tgru")]
public partial class S3W8A8;

/// <summary>S3 quantized with <c>tinygru quantize --mode w8a32</c>: int8 weights, float activations.</summary>
[GruModel("models/s3-w8a32.tgru")]
public partial class S3W8A32;

/// <summary>S4 quantized with <c>tinygru quantize --mode w8a8</c>.</summary>
[GruModel("models/s4-w8a8.tgru")]
public partial class S4W8A8;

/// <summary>S4 quantized with <c>tinygru quantize --mode w8a32</c>.</summary>
[GruModel("models/s4-w8a32.tgru")]
public partial class S4W8A32;
