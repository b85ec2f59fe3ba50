using System.Collections.Generic;
using System.Linq;
using TinyGru.Model;
using TinyGru.Model.Format;
using TinyGru.Model.Text;
using TinyGru.ReferenceData;

namespace TinyGru.Generators.Tests;

/// <summary>Models the tests build from the reference cases.</summary>
public static class TestModels
{
    /// <summary>Words the text model knows besides filler (covers the tokenizer's splits).</summary>
    public static readonly string[] Words =
    {
        "the", "movie", "was", "great", "bad", "i", "do", "n't", "it", "'s", "'m", "'re", "'ve", "'ll", "'d", "is", "not", "!", "?", ".", ",",
        "rock'n'roll", "ca", "wo", "café", "123abc", "o'neil", "y'all", "<", ">", "/", "br", "😀", "'", "-", "\"", "this", "film", "love", "hate",
    };

    /// <summary>The sentiment case s01 (E=32, H=16, V=2000) with a lower-casing review-v1 vocabulary attached.</summary>
    public static GruModel TextModel(bool lowercase = true)
    {
        GruModel model = SentimentCase.Load("sentiment/s01_v2000_e32_h16.json").ToModel();
        int v = model.Architecture.Embedding!.VocabularySize;
        var vocabulary = new List<string> { "<unk>", "<pad>" };
        vocabulary.AddRange(Words);
        for (int i = vocabulary.Count; i < v; i++)
        {
            vocabulary.Add("w" + i);
        }

        var text = new TextSpec(new TokenizerSettings(ReviewTokenizer.KindName, lowercase), vocabulary, "<unk>", "<pad>");
        return new GruModel(model.Architecture, model.Tensors, text, model.Provenance);
    }

    /// <summary>A small forward model's file text (I=7, H=16).</summary>
    public static string SmallModelText() => ModelFileWriter.ToText(ForwardCase.Load("gru/forward/f04_i7_h16_seq1.json").ToModel());
}
