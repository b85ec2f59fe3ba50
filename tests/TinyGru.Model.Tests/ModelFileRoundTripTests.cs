using TinyGru.Model.Format;
using Xunit;

namespace TinyGru.Model.Tests;

public sealed class ModelFileRoundTripTests
{
    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 1)]
    [InlineData(true, 3)]
    public void Reading_what_was_written_gives_the_same_model(bool bidirectional, int layers)
    {
        GruModel model = TinyModels.TextClassifier(bidirectional, layers);
        string text = ModelFileWriter.ToText(model);
        GruModel reread = ModelFileReader.Parse(text, "round-trip.tgru");

        Assert.Equal(model.Architecture, reread.Architecture);
        Assert.Equal(model.Tensors.Count, reread.Tensors.Count);
        for (int i = 0; i < model.Tensors.Count; i++)
        {
            Assert.Equal(model.Tensors[i].Name, reread.Tensors[i].Name);
            Assert.Equal(model.Tensors[i].Shape, reread.Tensors[i].Shape);
            Assert.Equal(model.Tensors[i].Values, reread.Tensors[i].Values);
        }

        Assert.Equal(model.Text!.Vocabulary, reread.Text!.Vocabulary);
        Assert.Equal(model.Text.Tokenizer, reread.Text.Tokenizer);
        Assert.Equal(model.Provenance.Producer, reread.Provenance.Producer);
        Assert.Equal(model.Provenance.Source, reread.Provenance.Source);

        // Writing is deterministic: the same model gives the same bytes.
        Assert.Equal(text, ModelFileWriter.ToText(reread));
    }

    [Fact]
    public void Provenance_metrics_and_special_characters_survive()
    {
        GruModel tiny = TinyModels.TextClassifier();
        var provenance = new Provenance("tinygru \"test\"", "line1\nline2\ttab \\ back", "IMDb 25k",
            [new("test_accuracy", 0.8765432101234), new("epochs", 5)], "notes");
        var model = new GruModel(tiny.Architecture, tiny.Tensors, tiny.Text, provenance);

        GruModel reread = ModelFileReader.Parse(ModelFileWriter.ToText(model));

        Assert.Equal(provenance.Producer, reread.Provenance.Producer);
        Assert.Equal(provenance.Source, reread.Provenance.Source);
        Assert.Equal(provenance.TrainingData, reread.Provenance.TrainingData);
        Assert.Equal(provenance.Metrics, reread.Provenance.Metrics);
        Assert.Equal(provenance.Notes, reread.Provenance.Notes);
    }

    [Fact]
    public void Files_are_written_atomically_and_leave_no_temporary_files()
    {
        string directory = Directory.CreateTempSubdirectory("tinygru-").FullName;
        string path = Path.Combine(directory, "model.tgru");
        GruModel model = TinyModels.TextClassifier();

        ModelFileWriter.Write(model, path);
        ModelFileWriter.Write(TinyModels.TextClassifier(bidirectional: true), path); // overwrite

        Assert.Equal(["model.tgru"], Directory.GetFiles(directory).Select(Path.GetFileName));
        Assert.True(ModelFileReader.Read(path).Architecture.Gru.Bidirectional);
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_intact()
    {
        string directory = Directory.CreateTempSubdirectory("tinygru-").FullName;
        string path = Path.Combine(directory, "model.tgru");
        ModelFileWriter.Write(TinyModels.TextClassifier(), path);
        byte[] before = File.ReadAllBytes(path);

        Assert.Throws<IOException>(() => AtomicFile.WriteText(path, writer =>
        {
            writer.Write(new string('x', 100_000)); // half a file, flushed through the buffer...
            throw new IOException("disk full");    // ...then the process "dies"
        }));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(["model.tgru"], Directory.GetFiles(directory).Select(Path.GetFileName));
    }
}
