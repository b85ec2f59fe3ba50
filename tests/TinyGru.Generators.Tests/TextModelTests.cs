using System;
using System.Linq;
using System.Text;
using TinyGru.Model;
using Xunit;

namespace TinyGru.Generators.Tests;

/// <summary>The generated allocation-free tokenizer and vocabulary lookup against TinyGru.Model's ReviewTokenizer.</summary>
public sealed class TextModelTests
{
    private static readonly Lazy<CompiledModel> Lowercase = new(() => CompiledModel.Compile(TestModels.TextModel(lowercase: true)));
    private static readonly Lazy<CompiledModel> CaseSensitive = new(() => CompiledModel.Compile(TestModels.TextModel(lowercase: false)));

    /// <summary>Texts that exercise every tokenizer rule.</summary>
    public static TheoryData<string> TrickyTexts => new(
        "The movie was GREAT!! I don't like it's rock'n'roll",
        "Isn’t it? Can't won't y'all O'Neil 'tis it’s WE'RE they'VE she'LL he'D I'M",
        "line<br />break<br>and<BR/>more<br  /> <br",
        "<b>bold</b> < br> <br/",
        "café 123abc ñ Σίσυφος 😀 😀😀 a😀b",
        "  \t\n  ",
        "don't n't 'n't xn't N'T DON'T",
        "'s '' ' 'hello' ’quoted’ it''s it’’s",
        "lone \ud800 surrogate \udc00 here",
        "ſ's Kelvin K's İstanbul");

    [Theory]
    [MemberData(nameof(TrickyTexts))]
    public void Tokenize_matches_the_reference_tokenizer(string text)
    {
        foreach (CompiledModel compiled in new[] { Lowercase.Value, CaseSensitive.Value })
        {
            int[] expected = compiled.Model.Text!.Encode(text);
            int[] actual = (int[])compiled.Call("Tokenize", text)!;
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Length, (int)compiled.Call("CountTokens", text)!);
        }
    }

    [Fact]
    public void Tokenize_matches_the_reference_tokenizer_on_random_text()
    {
        const string alphabet = "aAbBnNtTsSrRlLdDvVmMeE0123456789 \t\n'’<>/!?.,-\"éÉ";
        var random = new Random(1234);
        CompiledModel compiled = Lowercase.Value;
        for (int n = 0; n < 3000; n++)
        {
            var text = new StringBuilder();
            int length = random.Next(0, 40);
            for (int i = 0; i < length; i++)
            {
                int pick = random.Next(100);
                if (pick < 3) text.Append("😀");
                else if (pick < 6) text.Append("<br />");
                else if (pick < 8) text.Append("n't");
                else if (pick < 10) text.Append('\ud800');
                else text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            string s = text.ToString();
            Assert.True(compiled.Model.Text!.Encode(s).SequenceEqual((int[])compiled.Call("Tokenize", s)!), $"text {Escape(s)}");
        }
    }

    [Fact]
    public void Predict_text_equals_predict_of_the_reference_token_ids()
    {
        CompiledModel compiled = Lowercase.Value;
        foreach (string text in new[] { "The movie was great!", "I don't love this film. It's bad?!", "w17 w18 w1999 unknownword 😀" })
        {
            var fromText = new float[1];
            var fromIds = new float[1];
            compiled.Call("PredictText", text, fromText);
            compiled.Call("PredictLogits", compiled.Model.Text!.Encode(text), fromIds);
            Assert.Equal(fromIds[0], fromText[0]);
        }
    }

    [Fact]
    public void Predict_text_without_tokens_throws_argument_exception()
    {
        Assert.Throws<ArgumentException>(() => Lowercase.Value.Call("PredictText", "   <br/> ", new float[1]));
        Assert.Throws<ArgumentException>(() => Lowercase.Value.Call("PredictText", "hello", new float[2]));
    }

    private static string Escape(string s) => string.Concat(s.Select(c => c < 128 && !char.IsControl(c) ? c.ToString() : $"\\u{(int)c:x4}"));
}
