using TinyGru.Model.Json;
using Xunit;

namespace TinyGru.Model.Tests;

public sealed class JsonParserTests
{
    [Fact]
    public void Records_line_and_column_of_every_value()
    {
        JsonNode root = JsonParser.Parse("{\n  \"a\": [1, 2],\n  \"b\": \"x\"\n}");

        Assert.Equal((2, 8), (root["a"]!.Line, root["a"]!.Column));
        Assert.Equal((2, 12), (root["a"]!.Items[1].Line, root["a"]!.Items[1].Column));
        Assert.Equal((3, 8), (root["b"]!.Line, root["b"]!.Column));
    }

    [Fact]
    public void Decodes_escapes()
    {
        Assert.Equal("a\"b\\c/\n\t\u00e9", JsonParser.Parse("\"a\\\"b\\\\c\\/\\n\\t\\u00e9\"").Text);
    }

    [Theory]
    [InlineData("{\"a\": 1,}", 1, 9)]
    [InlineData("[1 2]", 1, 4)]
    [InlineData("{\"a\": tru}", 1, 7)]
    [InlineData("{\n\"a\": 01}", 2, 7)]
    [InlineData("\"unterminated", 1, 14)]
    [InlineData("{} x", 1, 4)]
    [InlineData("-", 1, 2)]
    public void Reports_where_malformed_text_goes_wrong(string text, int line, int column)
    {
        JsonSyntaxException e = Assert.Throws<JsonSyntaxException>(() => JsonParser.Parse(text));

        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void Rejects_very_deep_nesting_instead_of_overflowing_the_stack()
    {
        Assert.Throws<JsonSyntaxException>(() => JsonParser.Parse(new string('[', 10_000)));
    }
}
