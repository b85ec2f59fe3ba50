using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Tensors;
using Xunit;

namespace TinyGru.Generators.NeonParity;

/// <summary>The committed model files are what make-models.sh makes from the reference cases: they cannot drift.</summary>
public sealed class ModelFileTests
{
    public static TheoryData<string, string, string> AllModels => ParityCases.All();

    [Theory]
    [MemberData(nameof(AllModels))]
    public void Model_file_holds_its_reference_case(string referenceCase, string convention, string model)
    {
        ParityModel m = ParityModel.All[model];
        Assert.Equal(referenceCase, m.ReferenceCase);
        GruModel actual = m.ReadFile(), expected = m.Expected();
        Assert.Equal(expected.Architecture, actual.Architecture);
        Assert.Equal(convention, GruConventionNames.ToName(actual.Architecture.Gru.Convention));
        Assert.Equal(expected.Quantization, actual.Quantization);
        Assert.Equal(expected.Tensors.Select(t => t.Name), actual.Tensors.Select(t => t.Name));
        foreach (Tensor e in expected.Tensors)
        {
            Tensor a = actual.Tensors.Single(t => t.Name == e.Name);
            Assert.True(e.HasShape(a.Shape), $"{model} {e.Name}: shape {a.ShapeText}, expected {e.ShapeText}");
            Assert.Equal(e.DataType, a.DataType);
            Assert.True(e.Values.AsSpan().SequenceEqual(a.Values), $"{model} {e.Name}: the values differ from {referenceCase}: rerun make-models.sh");
            if (e.DataType == TensorDataType.Int8)
            {
                Assert.True(e.Quantized.AsSpan().SequenceEqual(a.Quantized), $"{model} {e.Name}: int8 values differ");
                Assert.True(e.RowScales.AsSpan().SequenceEqual(a.RowScales), $"{model} {e.Name}: row scales differ");
            }
        }
    }

    [Fact]
    public void Every_model_file_beside_the_binary_is_compiled_and_indexed()
    {
        string[] files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models"), "*.tgru").Select(Path.GetFileName).ToArray()!;
        Assert.Equal(files.Order(StringComparer.Ordinal), ParityModel.All.Keys.Order(StringComparer.Ordinal));
        Assert.True(files.Length >= 20, $"only {files.Length} model files");
        Assert.Contains(ParityModel.All.Values, m => m.IsSentiment);
        Assert.Contains(ParityModel.All.Values, m => m.QuantizationMode is not null);
    }
}
