using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;

namespace TinyGru.Benchmarks;

/// <summary>The benchmark configurations S1–S4 of issue 3, read from <c>Models/*.tgru</c> (written by make-models.cs).</summary>
public static class BenchmarkModels
{
    /// <summary>Configuration names in size order.</summary>
    public static readonly string[] Names = ["S1", "S2", "S3", "S4"];

    /// <summary>The model of configuration <paramref name="name"/> (S1 = I1 H8, S2 = I3 H16, S3 = I32 H64, S4 = I100 H256).</summary>
    public static GruModel Load(string name)
    {
        string file = name switch
        {
            "S1" => "s1_i1_h8.tgru",
            "S2" => "s2_i3_h16.tgru",
            "S3" => "s3_i32_h64.tgru",
            "S4" => "s4_i100_h256.tgru",
            _ => throw new ArgumentException($"unknown configuration {name}"),
        };
        return ModelFileReader.Read(Path.Combine(AppContext.BaseDirectory, "Models", file));
    }

    /// <summary>Deterministic N(0,1)-like inputs: <paramref name="steps"/> × I floats.</summary>
    public static float[] Inputs(GruStackSpec gru, int steps, int seed = 7)
    {
        var random = new Random(seed);
        var inputs = new float[steps * gru.InputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            // Sum of uniforms: close enough to N(0,1) for timing, and cheap.
            inputs[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 2f;
        }

        return inputs;
    }
}
