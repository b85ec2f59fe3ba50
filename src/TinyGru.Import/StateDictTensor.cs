namespace TinyGru.Import;

/// <summary>One entry of a PyTorch <c>state_dict</c>: a shape and its row-major float32 values.</summary>
/// <param name="Shape">The tensor's dimensions, outermost first.</param>
/// <param name="Values">The values in row-major order.</param>
public sealed record StateDictTensor(int[] Shape, float[] Values);
