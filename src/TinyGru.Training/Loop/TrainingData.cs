using System;
using System.Collections.Generic;
using TinyGru.Model.Text;
using TinyGru.Training.Data;
using TinyGru.Training.Text;

namespace TinyGru.Training.Loop;

/// <summary>The encoded splits of a run and the vocabulary built from its training part.</summary>
/// <param name="Text">Vocabulary (from the training part only) and tokenizer.</param>
/// <param name="Train">Training part.</param>
/// <param name="Valid">Validation part, split off the training data with the seed.</param>
/// <param name="Test">Test data, or null.</param>
public sealed record PreparedData(TextSpec Text, EncodedDataset Train, EncodedDataset Valid, EncodedDataset? Test);

/// <summary>From labelled texts to encoded splits: seeded validation split, tokenization, vocabulary, ids.</summary>
public static class TrainingData
{
    /// <summary>Splits, tokenizes, builds the vocabulary from the training part and encodes every part.</summary>
    public static PreparedData Prepare(IReadOnlyList<LabeledText> trainAndValid, IReadOnlyList<LabeledText>? test,
        double validFraction, int seed, int maxVocabulary = VocabularyBuilder.DefaultMaxTokens, bool lowercase = true, int? maxLength = null)
    {
        var settings = new TokenizerSettings(ReviewTokenizer.KindName, lowercase);
        (List<LabeledText> train, List<LabeledText> valid) = DataSplit.Split(trainAndValid, validFraction, Seeds.Mix(seed, 3));
        List<string>[] trainTokens = EncodedDataset.Tokenize(train, settings);
        TextSpec text = VocabularyBuilder.Build(trainTokens, settings, maxVocabulary);
        EncodedDataset trainSet = EncodedDataset.Encode(train, trainTokens, text, maxLength);
        EncodedDataset validSet = EncodedDataset.Encode(valid, text, maxLength);
        EncodedDataset? testSet = test is null ? null : EncodedDataset.Encode(test, text, maxLength);
        return new PreparedData(text, trainSet, validSet, testSet);
    }
}
