using TinyGru.Model.Format;
using Xunit;

namespace TinyGru.Model.Tests;

/// <summary>One test per fault the reader must catch: each names the field and points at its line.</summary>
public sealed class ModelFileValidationTests
{
    private const string RecurrentWeights = "gru.weight_hh_l0";
    private static readonly string Valid = ModelFileWriter.ToText(TinyModels.TextClassifier());

    private static ModelFileException Reject(string text)
    {
        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFileReader.Parse(text, "bad.tgru"));
        Assert.StartsWith("bad.tgru", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    /// <summary>Asserts the error is at <paramref name="field"/> and its line holds <paramref name="lineHolds"/>.</summary>
    private static void AssertAt(ModelFileException e, string text, string field, string lineHolds)
    {
        Assert.Equal(field, e.FieldPath);
        Assert.True(e.Line > 0, $"no line for {e.Message}");
        Assert.Contains(lineHolds, TinyModels.Line(text, e.Line));
    }

    [Fact]
    public void A_flipped_base64_character_is_a_checksum_mismatch()
    {
        string text = TinyModels.ReplaceInTensor(Valid, RecurrentWeights, entry =>
        {
            int data = entry.IndexOf("\"data\": \"", StringComparison.Ordinal) + 9 + 4;
            char flipped = entry[data] == 'A' ? 'B' : 'A';
            return entry[..data] + flipped + entry[(data + 1)..];
        });

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].checksum", "\"checksum\"");
        Assert.Contains("checksum mismatch", e.Problem);
    }

    [Fact]
    public void A_character_outside_base64_is_named_with_its_position()
    {
        string text = TinyModels.ReplaceInTensor(Valid, RecurrentWeights, entry => entry.Replace("\"data\": \"", "\"data\": \"%"));

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].data", "\"data\"");
        Assert.Contains("bad base64: character 0 ('%')", e.Problem);
    }

    [Fact]
    public void Base64_of_the_wrong_length_is_rejected()
    {
        string text = TinyModels.ReplaceInTensor(Valid, RecurrentWeights, entry => entry.Replace("\"data\": \"", "\"data\": \"A"));

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].data", "\"data\"");
        Assert.Contains("bad base64", e.Problem);
    }

    [Fact]
    public void A_shape_that_does_not_fit_the_architecture_is_rejected()
    {
        // [6, 2] → [2, 6]: the payload still matches the element count, only the shape is wrong.
        string text = TinyModels.ReplaceInTensor(Valid, RecurrentWeights, entry => entry.Replace("\"shape\": [6, 2]", "\"shape\": [2, 6]"));

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].shape", "\"shape\"");
        Assert.Contains("wrong shape [2, 6]", e.Problem);
        Assert.Contains("[6, 2]", e.Problem);
    }

    [Fact]
    public void A_shape_that_does_not_match_the_payload_is_rejected()
    {
        string text = TinyModels.ReplaceInTensor(Valid, RecurrentWeights, entry => entry.Replace("\"shape\": [6, 2]", "\"shape\": [6, 3]"));

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].data", "\"data\"");
        Assert.Contains("decodes to 48 bytes", e.Problem);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "+Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Non_finite_weights_are_rejected_with_their_index(float value, string named)
    {
        float[] values = new float[12];
        values[5] = value;
        string text = TinyModels.WithTensorValues(Valid, RecurrentWeights, values);

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].data", "\"data\"");
        Assert.Contains($"element 5 (index [2, 1]) is {named}", e.Problem);
    }

    [Fact]
    public void An_unknown_format_version_is_rejected()
    {
        string text = Valid.Replace("\"formatVersion\": 1", "\"formatVersion\": 2");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "formatVersion", "formatVersion");
        Assert.Contains("unsupported format version 2", e.Problem);
    }

    [Fact]
    public void An_unknown_layer_is_rejected()
    {
        string text = Valid.Replace("\"gru\": {", "\"lstm\": { \"hiddenSize\": 2 },\n    \"gru\": {");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "architecture.lstm", "lstm");
        Assert.Contains("unknown layer \"lstm\"", e.Problem);
    }

    [Fact]
    public void An_unknown_tensor_is_rejected()
    {
        string text = Valid.Replace("\"name\": \"head.bias\"", "\"name\": \"head.scale\"");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "tensors[\"head.scale\"]", "head.scale");
        Assert.Contains("unknown tensor", e.Problem);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        GruModel model = TinyModels.TextClassifier();
        var withoutBias = new GruModelParts(model).Without("head.bias");
        string text = withoutBias;

        ModelFileException e = Reject(text);

        Assert.Equal("tensors", e.FieldPath);
        Assert.Contains("missing tensor \"head.bias\"", e.Problem);
    }

    [Fact]
    public void An_unknown_convention_is_rejected()
    {
        string text = Valid.Replace("\"convention\": \"pytorch\"", "\"convention\": \"keras\"");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "architecture.gru.convention", "keras");
    }

    [Fact]
    public void An_unsupported_storage_type_is_rejected()
    {
        string text = TinyModels.ReplaceInTensor(Valid, RecurrentWeights, entry => entry.Replace("\"dtype\": \"float32\"", "\"dtype\": \"int4\""));

        ModelFileException e = Reject(text);

        AssertAt(e, text, $"tensors[\"{RecurrentWeights}\"].dtype", "int4");
        Assert.Contains("unsupported storage type \"int4\"", e.Problem);
    }

    [Fact]
    public void An_embedding_that_does_not_feed_the_gru_is_rejected()
    {
        string text = Valid.Replace("\"dimension\": 3", "\"dimension\": 4");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "architecture.embedding.dimension", "\"dimension\": 4");
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_embedding_is_rejected()
    {
        string text = Valid.Replace("      \"!\"\n", "      \"!\",\n      \"extra\"\n");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "text.vocabulary", "\"vocabulary\"");
        Assert.Contains("7 tokens", e.Problem);
    }

    [Fact]
    public void A_repeated_vocabulary_token_is_rejected()
    {
        string text = Valid.Replace("      \"bad\",", "      \"good\",");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "text.vocabulary[3]", "\"good\"");
    }

    [Fact]
    public void A_duplicate_field_is_rejected_rather_than_overridden()
    {
        string text = Valid.Replace("\"layers\": 1,", "\"layers\": 1, \"layers\": 2,");

        ModelFileException e = Reject(text);

        Assert.Contains("duplicate member \"layers\"", e.Problem);
        Assert.Contains("layers", TinyModels.Line(text, e.Line));
    }

    [Fact]
    public void A_truncated_file_is_reported_as_invalid_json_with_its_position()
    {
        string text = Valid[..(Valid.Length / 2)];

        ModelFileException e = Reject(text);

        Assert.Equal("(document)", e.FieldPath);
        Assert.Contains("not valid JSON", e.Problem);
        Assert.True(e.Line > 1);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n")]
    public void An_empty_file_is_rejected(string text)
    {
        Assert.Contains("empty", Reject(text).Problem);
    }

    [Fact]
    public void A_file_of_another_format_is_rejected()
    {
        ModelFileException e = Reject("{ \"format\": \"onnx\", \"formatVersion\": 1 }");

        Assert.Equal("format", e.FieldPath);
    }

    [Fact]
    public void A_wrongly_typed_field_is_rejected()
    {
        string text = Valid.Replace("\"hiddenSize\": 2", "\"hiddenSize\": \"2\"");

        ModelFileException e = Reject(text);

        AssertAt(e, text, "architecture.gru.hiddenSize", "hiddenSize");
        Assert.Contains("is a string; a number was expected", e.Problem);
    }

    [Fact]
    public void A_fractional_size_is_rejected()
    {
        string text = Valid.Replace("\"hiddenSize\": 2", "\"hiddenSize\": 2.5");

        Assert.Equal("architecture.gru.hiddenSize", Reject(text).FieldPath);
    }

    [Fact]
    public void A_padding_index_outside_the_vocabulary_is_rejected()
    {
        string text = Valid.Replace("\"paddingIndex\": 1", "\"paddingIndex\": 6");

        ModelFileException e = Reject(text);

        Assert.Equal("architecture.embedding.paddingIndex", e.FieldPath);
    }

    [Fact]
    public void A_missing_file_is_reported_not_thrown_raw()
    {
        ModelFileException e = Assert.Throws<ModelFileException>(() => ModelFileReader.Read("/nonexistent/model.tgru"));

        Assert.Contains("cannot be read", e.Problem);
    }

    /// <summary>Builds a model file text with one tensor left out (the in-memory model would refuse it).</summary>
    private sealed class GruModelParts(GruModel model)
    {
        public string Without(string tensorName)
        {
            string text = ModelFileWriter.ToText(model);
            int nameAt = text.IndexOf($"\"name\": \"{tensorName}\"", StringComparison.Ordinal);
            int open = text.LastIndexOf('{', nameAt);
            int close = text.IndexOf('}', nameAt);
            string before = text[..open].TrimEnd();
            if (before.EndsWith(','))
            {
                before = before[..^1];
            }

            return before + "\n" + text[(close + 1)..].TrimStart(',', '\n');
        }
    }
}
