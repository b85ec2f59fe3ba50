using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using Spectre.Console;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Training.Data;
using TinyGru.Training.Loop;
using TinyGru.Training.Text;

namespace TinyGru.Cli.Commands;

/// <summary><c>tinygru train</c>: train an Embedding → GRU → Linear sentiment classifier (the work happens in TinyGru.Training).</summary>
internal static class TrainCommand
{
    public static Command Create(CliConsole console)
    {
        var data = new Option<string>("--data")
        {
            Description = "Training data: a folder holding train.tsv.gz (and test.tsv.gz), a folder per class (pos/, neg/), or a TSV/CSV file (label, text).",
            Required = true,
        };
        var test = new Option<string?>("--test") { Description = "Test data (same formats); default: test.tsv.gz beside train.tsv.gz, or test/ beside train/." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The model file to write (.tgru); the checkpoint is <output>.ckpt, the curves <output>.curves.svg.", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training data.", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch-size") { Description = "Reviews per optimizer step.", DefaultValueFactory = _ => 64 };
        var embedding = new Option<int>("--embedding-dim") { Description = "Embedding dimension.", DefaultValueFactory = _ => 100 };
        var hidden = new Option<int>("--hidden") { Description = "GRU state size per direction.", DefaultValueFactory = _ => 256 };
        var layers = new Option<int>("--layers") { Description = "Stacked GRU layers.", DefaultValueFactory = _ => 1 };
        var bidirectional = new Option<bool>("--bidirectional") { Description = "Run every layer in both directions." };
        var convention = new Option<string>("--convention") { Description = "GRU equations: pytorch or cho2014.", DefaultValueFactory = _ => GruConventionNames.PyTorch };
        convention.AcceptOnlyFromAmong(GruConventionNames.PyTorch, GruConventionNames.Cho2014);
        var dropout = new Option<double>("--dropout") { Description = "Dropout on the head's input while training.", DefaultValueFactory = _ => 0.5 };
        var optimizer = new Option<string>("--optimizer") { Description = "adam or sgd.", DefaultValueFactory = _ => "adam" };
        optimizer.AcceptOnlyFromAmong("adam", "sgd");
        var lr = new Option<double>("--lr") { Description = "Learning rate.", DefaultValueFactory = _ => 1e-3 };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum.", DefaultValueFactory = _ => 0 };
        var clip = new Option<double?>("--clip") { Description = "Clip the global gradient norm to this value." };
        var patience = new Option<int?>("--patience") { Description = "Early stopping: stop after this many epochs without a better validation loss." };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice.", DefaultValueFactory = _ => 1234 };
        var validFraction = new Option<double>("--valid-fraction") { Description = "Part of the training data held out for validation.", DefaultValueFactory = _ => 0.1 };
        var vocabulary = new Option<int>("--vocab-size") { Description = "Most frequent tokens kept (plus <unk> and <pad>).", DefaultValueFactory = _ => VocabularyBuilder.DefaultMaxTokens };
        var caseSensitive = new Option<bool>("--case-sensitive") { Description = "Do not lower-case text." };
        var maxLength = new Option<int?>("--max-length") { Description = "Keep only the first N tokens of each review (default: all)." };
        var glove = new Option<FileInfo?>("--glove") { Description = "Pre-trained vectors in GloVe's text format to initialise the embedding." };
        var skipBad = new Option<bool>("--skip-bad-rows") { Description = "Skip and count unreadable rows instead of stopping at the first." };
        var threads = new Option<int>("--threads") { Description = "Batch shards computed in parallel (part of the seeded arithmetic).", DefaultValueFactory = _ => 2 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Write a checkpoint every N batches (and at each epoch end).", DefaultValueFactory = _ => 100 };
        var fresh = new Option<bool>("--fresh") { Description = "Ignore and replace an existing checkpoint instead of resuming from it." };
        var limit = new Option<int?>("--limit") { Description = "Use only the first N training reviews after a seeded shuffle (quick runs)." };
        var stopAfter = new Option<int?>("--stop-after-batches") { Description = "Stop (with a checkpoint) after N batches — for timing runs." };
        var writeBatches = new Option<FileInfo?>("--write-batches") { Description = "Write the first epoch's batches (token ids, labels) to this file and exit without training — to time another trainer on the same batches." };

        var command = new Command("train", "Train an Embedding → GRU → Linear sentiment classifier (BCE, Adam/SGD) and write the best-validation model.")
        {
            data, test, output, epochs, batch, embedding, hidden, layers, bidirectional, convention, dropout, optimizer, lr, momentum, clip,
            patience, seed, validFraction, vocabulary, caseSensitive, maxLength, glove, skipBad, threads, checkpointEvery, fresh, limit, stopAfter, writeBatches,
        };
        command.SetAction(parse => console.Run(() =>
        {
            GruConventionNames.TryParse(parse.GetValue(convention), out GruConvention gruConvention);
            var options = new TrainerOptions
            {
                EmbeddingDimension = parse.GetValue(embedding),
                HiddenSize = parse.GetValue(hidden),
                Layers = parse.GetValue(layers),
                Bidirectional = parse.GetValue(bidirectional),
                Convention = gruConvention,
                Dropout = parse.GetValue(dropout),
                BatchSize = parse.GetValue(batch),
                Epochs = parse.GetValue(epochs),
                Optimizer = parse.GetValue(optimizer) == "sgd" ? OptimizerKind.Sgd : OptimizerKind.Adam,
                LearningRate = parse.GetValue(lr),
                Momentum = parse.GetValue(momentum),
                ClipNorm = parse.GetValue(clip),
                EarlyStoppingPatience = parse.GetValue(patience),
                Seed = parse.GetValue(seed),
                Shards = parse.GetValue(threads),
                CheckpointEvery = parse.GetValue(checkpointEvery),
            };
            return Train(console, options, parse.GetValue(data)!, parse.GetValue(test), parse.GetValue(output)!, parse.GetValue(validFraction),
                parse.GetValue(vocabulary), !parse.GetValue(caseSensitive), parse.GetValue(maxLength), parse.GetValue(glove),
                parse.GetValue(skipBad), parse.GetValue(fresh), parse.GetValue(limit), parse.GetValue(stopAfter), parse.GetValue(writeBatches));
        }));
        return command;
    }

    private static int Train(CliConsole console, TrainerOptions options, string dataPath, string? testPath, FileInfo output, double validFraction,
        int vocabularySize, bool lowercase, int? maxLength, FileInfo? glove, bool skipBad, bool fresh, int? limit, int? stopAfter, FileInfo? writeBatches)
    {
        if (options.Epochs < 1 || options.BatchSize < 1 || options.HiddenSize < 1 || options.EmbeddingDimension < 1 || options.Layers < 1 || options.Shards < 1)
        {
            return console.Fail("--epochs, --batch-size, --hidden, --embedding-dim, --layers and --threads must be at least 1");
        }

        if (options.Dropout < 0 || options.Dropout >= 1)
        {
            return console.Fail("--dropout must be in [0, 1)");
        }

        try
        {
            var loadOptions = new DataLoadOptions(skipBad);
            LoadResult trainData = ImdbDataset.Load(dataPath, loadOptions);
            ReportSkipped(console, dataPath, trainData);
            testPath ??= DefaultTest(dataPath);
            LoadResult? testData = testPath is null ? null : ImdbDataset.Load(testPath, loadOptions);
            if (testData is not null)
            {
                ReportSkipped(console, testPath!, testData);
            }

            IReadOnlyList<LabeledText> examples = trainData.Examples;
            if (limit is int n && n < examples.Count)
            {
                examples = DataSplit.Split(examples, 1 - (double)n / examples.Count, Seeds.Mix(options.Seed, 4)).Train;
            }

            console.Out.WriteLine($"data: {examples.Count:N0} training reviews from {dataPath}" + (testData is null ? "" : $", {testData.Examples.Count:N0} test reviews from {testPath}"));
            PreparedData prepared = TrainingData.Prepare(examples, testData?.Examples, validFraction, options.Seed, vocabularySize, lowercase, maxLength);
            console.Out.WriteLine($"split: {prepared.Train.Count:N0} train ({prepared.Train.Tokens:N0} tokens), {prepared.Valid.Count:N0} validation; vocabulary {prepared.Text.Vocabulary.Count:N0} tokens");

            float[]? initialEmbedding = null;
            if (glove is not null)
            {
                initialEmbedding = new float[prepared.Text.Vocabulary.Count * options.EmbeddingDimension];
                GloveResult g = GloveLoader.Load(glove.FullName, prepared.Text, initialEmbedding, options.EmbeddingDimension, Seeds.Mix(options.Seed, 5));
                console.Out.WriteLine($"glove: {g.Found:N0} tokens found in {glove.Name}, {g.Missing:N0} random");
            }

            var run = new TrainingRun(options, prepared.Text, prepared.Train, prepared.Valid, output.FullName, Path.GetFileName(Path.TrimEndingDirectorySeparator(dataPath)), initialEmbedding);
            if (writeBatches is not null)
            {
                run.WriteBatchPlan(writeBatches.FullName, epoch: 0);
                console.Out.WriteLine($"wrote epoch 1's {run.EpochBatches(0).Count:N0} batches ({prepared.Train.Tokens:N0} tokens) to {writeBatches.Name}; nothing trained");
                return 0;
            }

            if (fresh && File.Exists(run.CheckpointPath))
            {
                File.Delete(run.CheckpointPath);
            }

            if (run.Resume())
            {
                console.Out.WriteLine($"resuming from {Path.GetFileName(run.CheckpointPath)}: epoch {run.State.Epoch + 1}, batch {run.State.NextBatch}");
            }

            console.Out.WriteLine($"model: {run.Architecture.Gru.Layers} layer(s) × {run.Architecture.Gru.HiddenSize}{(options.Bidirectional ? " bidirectional" : "")} {GruConventionNames.ToName(options.Convention)} GRU, {run.Weights.Count:N0} parameters, {options.Shards} shard(s)");

            using var cancel = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                e.Cancel = true;
                cancel.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            RunStatus status;
            try
            {
                run.EpochDone = m => PrintEpoch(console.Out.WriteLine, m);
                status = RunWithProgress(console, run, cancel.Token, stopAfter);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }

            if (status == RunStatus.Interrupted)
            {
                if (run.State.EpochSeconds > 0)
                {
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"this epoch so far: {run.State.NextBatch} batches, {run.State.EpochTokens:N0} tokens in {run.State.EpochSeconds:0.0} s = {run.State.EpochTokens / run.State.EpochSeconds:N0} tokens/s"));
                }

                console.Out.WriteLine($"stopped at epoch {run.State.Epoch + 1}, batch {run.State.NextBatch}; checkpoint {run.CheckpointPath} — run the same command again to resume");
                return stopAfter is null ? 130 : 0;
            }

            if (status == RunStatus.EarlyStopped)
            {
                console.Out.WriteLine($"early stopping: no better validation loss for {options.EarlyStoppingPatience} epoch(s)");
            }

            string curves = Path.ChangeExtension(output.FullName, null) + ".curves.svg";
            TrainingCurve.WriteSvg(curves, run.State.History, $"{output.Name}: training curves");
            run.LoadBestWeights();
            var metrics = new List<KeyValuePair<string, double>>();
            if (prepared.Test is not null)
            {
                EvaluationResult result = Evaluation.Evaluate(run.Runner, run.Weights, prepared.Test);
                console.Out.WriteLine($"Test Loss: {result.Loss:0.000} | Test Acc: {100 * result.Accuracy:0.00}%  (best epoch {run.State.BestEpoch})");
                PrintConfusion(console, result.Confusion);
                metrics.Add(new("test_loss", result.Loss));
                metrics.Add(new("test_accuracy", result.Accuracy));
            }

            ModelFileWriter.Write(run.ToModel(metrics), output.FullName);
            console.Out.WriteLine($"wrote {output.Name} (best validation epoch {run.State.BestEpoch}) and {Path.GetFileName(curves)}");
            return 0;
        }
        catch (DataFormatException e)
        {
            return console.Fail(e.Message + " (use --skip-bad-rows to skip such rows)");
        }
    }

    private static RunStatus RunWithProgress(CliConsole console, TrainingRun run, CancellationToken cancel, int? stopAfter)
    {
        bool terminal = ReferenceEquals(console.Out, Console.Out) && !Console.IsOutputRedirected;
        if (!terminal)
        {
            int lastDecile = -1;
            run.BatchDone = p =>
            {
                int decile = p.Batch * 10 / p.Batches;
                if (decile != lastDecile)
                {
                    lastDecile = decile;
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  epoch {p.Epoch} batch {p.Batch}/{p.Batches}  loss {p.Loss:0.000}  acc {100 * p.Accuracy:0.0}%  {p.Tokens / Math.Max(1e-9, p.Seconds):N0} tokens/s"));
                }
            };
            return run.Run(cancel, stopAfter);
        }

        RunStatus status = RunStatus.Completed;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                // Lines written through the live display appear above the bars instead of inside them.
                run.EpochDone = m => PrintEpoch(line => AnsiConsole.Console.WriteLine(line), m);
                ProgressTask? task = null;
                int taskEpoch = -1;
                run.BatchDone = p =>
                {
                    if (task is null || taskEpoch != p.Epoch)
                    {
                        task?.StopTask();
                        task = ctx.AddTask($"epoch {p.Epoch}", maxValue: p.Batches);
                        taskEpoch = p.Epoch;
                    }

                    task.Value = p.Batch;
                    task.Description = string.Create(CultureInfo.InvariantCulture,
                        $"epoch {p.Epoch}  loss {p.Loss:0.000}  acc {100 * p.Accuracy:0.0}%  {p.Tokens / Math.Max(1e-9, p.Seconds) / 1000:0.0}k tok/s");
                };
                status = run.Run(cancel, stopAfter);
                task?.StopTask();
            });
        return status;
    }

    private static void PrintEpoch(Action<string> writeLine, EpochMetrics m)
    {
        var time = TimeSpan.FromSeconds(m.Seconds);
        writeLine(string.Create(CultureInfo.InvariantCulture,
            $"Epoch: {m.Epoch:00} | Epoch Time: {(int)time.TotalMinutes}m {time.Seconds}s | {m.Tokens / Math.Max(1e-9, m.Seconds):N0} tokens/s"));
        writeLine(string.Create(CultureInfo.InvariantCulture, $"\tTrain Loss: {m.TrainLoss:0.000} | Train Acc: {100 * m.TrainAccuracy:0.00}%"));
        writeLine(string.Create(CultureInfo.InvariantCulture, $"\t Val. Loss: {m.ValidLoss:0.000} |  Val. Acc: {100 * m.ValidAccuracy:0.00}%"));
    }

    private static void PrintConfusion(CliConsole console, ConfusionMatrix c)
    {
        var table = new Table().Title("confusion matrix (test)");
        table.AddColumn("actual \\ predicted");
        table.AddColumn(new TableColumn("pos").RightAligned());
        table.AddColumn(new TableColumn("neg").RightAligned());
        table.AddRow("pos", c.TruePositive.ToString("N0", CultureInfo.InvariantCulture), c.FalseNegative.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("neg", c.FalsePositive.ToString("N0", CultureInfo.InvariantCulture), c.TrueNegative.ToString("N0", CultureInfo.InvariantCulture));
        console.Rich.Write(table);
    }

    private static void ReportSkipped(CliConsole console, string path, LoadResult result)
    {
        if (result.Skipped.Count == 0)
        {
            return;
        }

        console.Out.WriteLine($"skipped {result.Skipped.Count:N0} bad row(s) in {path}; first: {result.Skipped[0]}");
    }

    private static string? DefaultTest(string dataPath)
    {
        if (Directory.Exists(dataPath))
        {
            string tsv = Path.Combine(dataPath, ImdbDataset.TestFile);
            if (File.Exists(Path.Combine(dataPath, ImdbDataset.TrainFile)))
            {
                return File.Exists(tsv) ? tsv : null;
            }

            string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dataPath));
            if (Path.GetFileName(full) == "train")
            {
                string sibling = Path.Combine(Path.GetDirectoryName(full)!, "test");
                return Directory.Exists(sibling) ? sibling : null;
            }
        }

        return null;
    }
}
