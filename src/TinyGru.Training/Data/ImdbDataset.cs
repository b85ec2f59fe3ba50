using System.Collections.Generic;
using System.IO;

namespace TinyGru.Training.Data;

/// <summary>The IMDb reviews as this project ships them: <c>train.tsv.gz</c> and <c>test.tsv.gz</c> in one folder.</summary>
public static class ImdbDataset
{
    /// <summary>The train split file name.</summary>
    public const string TrainFile = "train.tsv.gz";

    /// <summary>The test split file name.</summary>
    public const string TestFile = "test.tsv.gz";

    /// <summary>Reads the train split of the folder.</summary>
    public static IReadOnlyList<LabeledText> Train(string folder, DataLoadOptions? options = null) =>
        DelimitedTextLoader.Load(Path.Combine(folder, TrainFile), options).Examples;

    /// <summary>Reads the test split of the folder.</summary>
    public static IReadOnlyList<LabeledText> Test(string folder, DataLoadOptions? options = null) =>
        DelimitedTextLoader.Load(Path.Combine(folder, TestFile), options).Examples;

    /// <summary>
    /// Reads any supported source: a folder with <c>train.tsv.gz</c>; a folder per class (aclImdb layout);
    /// or a TSV/CSV file (optionally .gz).
    /// </summary>
    public static LoadResult Load(string path, DataLoadOptions? options = null)
    {
        if (Directory.Exists(path))
        {
            string train = Path.Combine(path, TrainFile);
            return File.Exists(train) ? DelimitedTextLoader.Load(train, options) : FolderPerClassLoader.Load(path, options);
        }

        return DelimitedTextLoader.Load(path, options);
    }
}
