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
