using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using TinyGru.Training.Data;
using Xunit;

namespace TinyGru.Training.Tests;

/// <summary>TSV, CSV (plain and gzip) and folder-per-class loading, bad rows with <c>file:line</c>, skip-and-count, seeded split.</summary>
public sealed class DataLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tinygru-data-" + Guid.NewGuid().ToString("N"));

    public DataLoaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Tsv_rows_are_read_with_labels_and_locations()
    {
        string path = Write("a.tsv", "pos\tGreat film!\nneg\tAwful.<br />Really awful\n1\tgood\tstill text\n");
        LoadResult result = DelimitedTextLoader.Load(path);
        Assert.Equal(new[] { 1, 0, 1 }, result.Examples.Select(e => e.Label));
        Assert.Equal("good\tstill text", result.Examples[2].Text);
        Assert.Equal("a.tsv:2", result.Examples[1].Source);
        Assert.Empty(result.Skipped);
    }

    [Theory]
    [InlineData("pos\tok\nmaybe\ttext\n", "b.tsv:2", "label \"maybe\"")]
    [InlineData("pos\tok\nno tab here\n", "b.tsv:2", "no TAB")]
    [InlineData("pos\tok\nneg\t   \n", "b.tsv:2", "empty")]
    [InlineData("pos\tok\n\nneg\tx\n", "b.tsv:2", "empty line")]
    public void A_bad_tsv_row_fails_with_file_and_line(string content, string location, string reason)
    {
        string path = Write("b.tsv", content);
        DataFormatException e = Assert.Throws<DataFormatException>(() => DelimitedTextLoader.Load(path));
        Assert.StartsWith(location + ": ", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Bad_rows_are_skipped_and_counted_when_asked()
    {
        string path = Write("c.tsv", "pos\tok\nmaybe\ttext\nneg\tfine\nno tab\n");
        LoadResult result = DelimitedTextLoader.Load(path, new DataLoadOptions(SkipBadRows: true));
        Assert.Equal(2, result.Examples.Count);
        Assert.Equal(2, result.Skipped.Count);
        Assert.StartsWith("c.tsv:2: ", result.Skipped[0]);
        Assert.StartsWith("c.tsv:4: ", result.Skipped[1]);
    }

    [Fact]
    public void Csv_handles_header_quotes_commas_and_multi_line_fields()
    {
        string path = Write("d.csv", "label,text\npositive,\"Loved it, truly.\"\nnegative,\"Two\nlines with \"\"quotes\"\"\"\n0,plain\n");
        LoadResult result = DelimitedTextLoader.Load(path);
        Assert.Equal(3, result.Examples.Count);
        Assert.Equal("Loved it, truly.", result.Examples[0].Text);
        Assert.Equal("Two\nlines with \"quotes\"", result.Examples[1].Text);
        Assert.Equal("d.csv:5", result.Examples[2].Source);
    }

    [Fact]
    public void A_bad_csv_row_fails_with_file_and_line()
    {
        string path = Write("e.csv", "pos,fine\npos,one,two\n");
        DataFormatException e = Assert.Throws<DataFormatException>(() => DelimitedTextLoader.Load(path));
        Assert.StartsWith("e.csv:2: ", e.Message);
        Assert.Contains("3 fields", e.Message);
    }

    [Fact]
    public void Gzip_tsv_is_read()
    {
        string path = Path.Combine(_dir, "f.tsv.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            byte[] bytes = Encoding.UTF8.GetBytes("neg\tbad\npos\tgood\n");
            gz.Write(bytes);
        }

        Assert.Equal(new[] { 0, 1 }, DelimitedTextLoader.Load(path).Examples.Select(e => e.Label));
    }

    [Fact]
    public void Folder_per_class_reads_pos_and_neg_and_ignores_other_folders()
    {
        Write(Path.Combine("acl", "pos", "0_9.txt"), "Bromwell High is a cartoon comedy.");
        Write(Path.Combine("acl", "neg", "0_2.txt"), "Once again Mr. Costner...");
        Write(Path.Combine("acl", "neg", "1_1.txt"), "Dull.");
        Write(Path.Combine("acl", "unsup", "0_0.txt"), "unlabelled");
        LoadResult result = FolderPerClassLoader.Load(Path.Combine(_dir, "acl"));
        Assert.Equal(3, result.Examples.Count);
        Assert.Equal(2, result.Examples.Count(e => e.Label == 0));
        Assert.Contains(result.Examples, e => e.Source == Path.Combine("pos", "0_9.txt") + ":1");
    }

    [Fact]
    public void An_empty_review_file_fails_with_its_name()
    {
        Write(Path.Combine("acl2", "pos", "3_8.txt"), "  ");
        DataFormatException e = Assert.Throws<DataFormatException>(() => FolderPerClassLoader.Load(Path.Combine(_dir, "acl2")));
        Assert.StartsWith(Path.Combine("pos", "3_8.txt") + ":1: ", e.Message);
    }

    [Fact]
    public void The_validation_split_is_seeded_and_disjoint()
    {
        int[] items = Enumerable.Range(0, 1000).ToArray();
        var (train1, valid1) = DataSplit.Split(items, 0.1, 42);
        var (train2, valid2) = DataSplit.Split(items, 0.1, 42);
        var (_, valid3) = DataSplit.Split(items, 0.1, 43);
        Assert.Equal(100, valid1.Count);
        Assert.Equal(valid1, valid2);
        Assert.Equal(train1, train2);
        Assert.NotEqual(valid1, valid3);
        Assert.Empty(train1.Intersect(valid1));
        Assert.Equal(items, train1.Concat(valid1).OrderBy(i => i));
    }

    private string Write(string relative, string content)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
