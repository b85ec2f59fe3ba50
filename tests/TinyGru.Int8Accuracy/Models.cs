using TinyGru;

namespace TinyGru.Int8Accuracy;

/// <summary>The trained float32 model.</summary>
[GruModel("float.tgru")]
public partial class FloatModel;

/// <summary>Its int8-weight quantization, float activations (<c>tinygru quantize --mode w8a32</c>).</summary>
[GruModel("w8a32.tgru")]
public partial class W8A32Model;

/// <summary>Its int8-weight, int8-activation quantization (<c>tinygru quantize --mode w8a8</c>).</summary>
[GruModel("w8a8.tgru")]
public partial class W8A8Model;
