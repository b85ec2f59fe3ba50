using TinyGru.Model.Text;
using Xunit;

namespace TinyGru.Model.Tests;

public sealed class ReviewTokenizerTests
{
    private static List<string> Tokenize(string text, bool lowercase = true) =>
        new ReviewTokenizer(new TokenizerSettings(ReviewTokenizer.KindName, lowercase)).Tokenize(text);

    [Theory]
    [InlineData("This movie is absolutely fantastic!", "this|movie|is|absolutely|fantastic|!")]
    [InlineData("I don't like it.", "i|do|n't|like|it|.")]
    [InlineData("It's great, isn't it?", "it|'s|great|,|is|n't|it|?")]
    [InlineData("They're here; we've won; I'll go; I'd say; I'm in", "they|'re|here|;|we|'ve|won|;|i|'ll|go|;|i|'d|say|;|i|'m|in")]
    [InlineData("Great.<br /><br />Terrible!", "great|.|terrible|!")]
    [InlineData("line<BR>break<br/>again", "line|break|again")]
    [InlineData("Wow!!! 10/10", "wow|!|!|!|10|/|10")]
    [InlineData("rock 'n' roll", "rock|'|n|'|roll")]
    [InlineData("It\u2019s fine", "it|'s|fine")]
    [InlineData("   ", "")]
    public void Splits_reviews_as_documented(string text, string expected)
    {
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), Tokenize(text));
    }

    [Fact]
    public void Keeps_case_when_asked()
    {
        Assert.Equal(["Hello", "World", "!"], Tokenize("Hello World!", lowercase: false));
    }

    [Fact]
    public void Rejects_an_unknown_kind()
    {
        Assert.Throws<ArgumentException>(() => new ReviewTokenizer(new TokenizerSettings("bpe", true)));
    }

    [Fact]
    public void Maps_unknown_words_to_the_unknown_id()
    {
        TextSpec text = TinyModels.TextClassifier().Text!;

        Assert.Equal([2, 4, 0, 5], text.Encode("Good movie, !"[..^3] + " zzz !"));
    }
}
