using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TinyGru.Model.Text;
using TinyGru.Training.Data;
using TinyGru.Training.Text;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>Vocabulary building, encoding with the deployment tokenizer, and the GloVe loader.</summary>
public sealed class TextTests
{
    private static readonly TokenizerSettings Lower = new(ReviewTokenizer.KindName, Lowercase: true);

    [Fact]
    public void Vocabulary_keeps_the_most_frequent_tokens_after_unk_and_pad_with_ordinal_ties()
    {
        var texts = new List<IReadOnlyList<string>>
        {
            new[] { "b", "a", "c", "c", "d" },
            new[] { "c", "b", "a", "e", "<pad>" },
        };
        TextSpec spec = VocabularyBuilder.Build(texts, Lower, maxTokens: 3);
        Assert.Equal(new[] { "<unk>", "<pad>", "c", "a", "b" }, spec.Vocabulary);
        Assert.Equal(0, spec.UnknownId);
        Assert.Equal(1, spec.PaddingId);

        TextSpec reversed = VocabularyBuilder.Build(texts.AsEnumerable().Reverse().Select(t => (IReadOnlyList<string>)t.Reverse().ToArray()), Lower, maxTokens: 3);
        Assert.Equal(spec.Vocabulary, reversed.Vocabulary);
    }

    [Fact]
    public void Training_encoding_equals_the_deployed_text_encoding()
    {
        var examples = new[]
        {
            new LabeledText("This movie is absolutely fantastic! I didn't expect it.<br /><br />Great.", 1, "x:1"),
            new LabeledText("What a waste of time. Terrible acting, it's DULL!!", 0, "x:2"),
        };
        List<string>[] tokens = EncodedDataset.Tokenize(examples, Lower);
        TextSpec spec = VocabularyBuilder.Build(tokens, Lower);
        EncodedDataset encoded = EncodedDataset.Encode(examples, tokens, spec);
        for (int i = 0; i < examples.Length; i++)
        {
            Assert.Equal(spec.Encode(examples[i].Text), encoded.Sequences[i]);
        }

        Assert.Contains("n't", spec.Vocabulary);
        Assert.Contains("dull", spec.Vocabulary);
        Assert.DoesNotContain("br", spec.Vocabulary);
    }

    [Fact]
    public void Max_length_keeps_the_first_tokens_and_empty_texts_become_unk()
    {
        var examples = new[] { new LabeledText("one two three four", 1, "x:1"), new LabeledText("   ", 0, "x:2") };
        List<string>[] tokens = EncodedDataset.Tokenize(examples, Lower);
        TextSpec spec = VocabularyBuilder.Build(tokens, Lower);
        EncodedDataset encoded = EncodedDataset.Encode(examples, tokens, spec, maxLength: 2);
        Assert.Equal(new[] { spec.IdOf("one"), spec.IdOf("two") }, encoded.Sequences[0]);
        Assert.Equal(new[] { spec.UnknownId }, encoded.Sequences[1]);
    }

    [Fact]
    public void Glove_vectors_fill_known_words_missing_words_are_random_and_padding_is_zero()
    {
        TextSpec spec = new(Lower, new[] { "<unk>", "<pad>", "good", "bad", "zzz" }, "<unk>", "<pad>");
        string path = Path.Combine(Path.GetTempPath(), "glove-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(path, "good 0.5 -1 2\nthe 9 9 9\nbad -0.25 0 1e-1\n<pad> 7 7 7\n");
        try
        {
            var table = new float[5 * 3];
            GloveResult result = GloveLoader.Load(path, spec, table, 3, seed: 1);
            Assert.Equal(new[] { 0.5f, -1f, 2f }, table[6..9]);
            Assert.Equal(new[] { -0.25f, 0f, 0.1f }, table[9..12]);
            Assert.Equal(new float[3], table[3..6]);             // padding row zero even though the file lists it
            Assert.Contains(table[12..15], v => v != 0);          // missing word: random normal
            Assert.Contains(table[0..3], v => v != 0);            // <unk>: random normal
            Assert.Equal(2, result.Found);
            Assert.Equal(2, result.Missing);

            var again = new float[15];
            GloveLoader.Load(path, spec, again, 3, seed: 1);
            Assert.Equal(table, again);                            // seeded
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_glove_line_of_the_wrong_dimension_fails_with_file_and_line()
    {
        TextSpec spec = new(Lower, new[] { "<unk>", "<pad>", "good" }, "<unk>", "<pad>");
        string path = Path.Combine(Path.GetTempPath(), "glove-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(path, "good 1 2 3\nbad 1 2\n");
        try
        {
            DataFormatException e = Assert.Throws<DataFormatException>(() => GloveLoader.Load(path, spec, new float[9], 3, seed: 1));
            Assert.StartsWith(Path.GetFileName(path) + ":2: ", e.Message);

            File.WriteAllText(path, "good 1 x 3\n");
            e = Assert.Throws<DataFormatException>(() => GloveLoader.Load(path, spec, new float[9], 3, seed: 1));
            Assert.StartsWith(Path.GetFileName(path) + ":1: ", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
