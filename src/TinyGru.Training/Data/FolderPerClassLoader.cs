using System;
using System.IO;
using System.Linq;

namespace TinyGru.Training.Data;

/// <summary>
/// Reads the aclImdb layout: a folder with one sub-folder per class (<c>pos</c>/<c>neg</c>, or any label
/// spelling <see cref="Labels"/> accepts), one review per <c>*.txt</c> file. Files are read in ordinal name order.
/// </summary>
public static class FolderPerClassLoader
{
    /// <summary>Reads every class folder under <paramref name="root"/>.</summary>
    /// <exception cref="DataFormatException">A file is empty, or a sub-folder names no class, and skipping is off.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static LoadResult Load(string root, DataLoadOptions? options = null)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"{root}: no such folder");
        }

        var collector = new LoadCollector(options ?? new DataLoadOptions());
        string[] folders = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        int classes = 0;
        foreach (string folder in folders)
        {
            string name = Path.GetFileName(folder);
            if (!Labels.TryParse(name, out int label))
            {
                continue; // e.g. aclImdb's unsup/ folder: not a class
            }

            classes++;
            foreach (string file in Directory.GetFiles(folder, "*.txt").OrderBy(f => f, StringComparer.Ordinal))
            {
                string location = Path.Combine(name, Path.GetFileName(file)) + ":1";
                string text = File.ReadAllText(file);
                if (string.IsNullOrWhiteSpace(text))
                {
                    collector.Bad(location, "the review file is empty");
                    continue;
                }

                collector.Add(new LabeledText(text, label, location));
            }
        }

        if (classes == 0)
        {
            throw new DataFormatException(root + ":0", "no class folders (expected pos/ and neg/)");
        }

        return collector.Result();
    }
}
