using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using TinyGru.Model;
using TinyGru.Model.Architecture;
using TinyGru.Model.Format;
using TinyGru.Model.Text;
using TinyGru.Training.Model;
using TinyGru.Training.Optim;
using TinyGru.Training.Text;

namespace TinyGru.Training.Loop;

/// <summary>Progress after one training batch.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">Batches done in this epoch.</param>
/// <param name="Batches">Batches in the epoch.</param>
/// <param name="Tokens">Tokens trained on in this epoch.</param>
/// <param name="Seconds">Seconds spent on this epoch's batches.</param>
/// <param name="Loss">Mean training loss of the epoch so far.</param>
/// <param name="Accuracy">Training accuracy of the epoch so far.</param>
public sealed record BatchProgress(int Epoch, int Batch, int Batches, long Tokens, double Seconds, double Loss, double Accuracy);

/// <summary>How a run ended.</summary>
public enum RunStatus
{
    /// <summary>Every epoch ran.</summary>
    Completed,

    /// <summary>Early stopping ended it.</summary>
    EarlyStopped,

    /// <summary>Cancelled (Ctrl-C) or stopped on request; the checkpoint holds the position to resume from.</summary>
    Interrupted,
}

/// <summary>
/// The training loop: length-bucketed batches on all cores, optimizer steps, per-epoch validation, the
/// best-validation model written to the model path (atomically), checkpoints after every
/// <see cref="TrainerOptions.CheckpointEvery"/> batches and every epoch (atomically), resume from a checkpoint,
/// optional early stopping. Every random choice is derived from the seed and the (epoch, batch) position, so
/// a resumed run continues exactly as an uninterrupted one.
/// </summary>
public sealed class TrainingRun
{
    private readonly TrainerOptions _options;
    private readonly TextSpec _text;
    private readonly EncodedDataset _train;
    private readonly EncodedDataset _valid;
    private readonly string _modelPath;
    private readonly string _dataName;
    private readonly bool _pretrained;

    /// <summary>Prepares a run; nothing is trained until <see cref="Run"/>.</summary>
    /// <param name="options">The configuration.</param>
    /// <param name="text">Vocabulary and tokenizer (saved into the model).</param>
    /// <param name="train">Training examples.</param>
    /// <param name="valid">Validation examples (model selection and early stopping).</param>
    /// <param name="modelPath">Where the best model goes; the checkpoint is <c>modelPath.ckpt</c>.</param>
    /// <param name="dataName">What the data was, for the model's provenance.</param>
    /// <param name="initialEmbedding">Pre-trained embedding table [vocabulary × dimension], or null for random.</param>
    public TrainingRun(TrainerOptions options, TextSpec text, EncodedDataset train, EncodedDataset valid, string modelPath, string dataName, float[]? initialEmbedding = null)
    {
        _options = options;
        _text = text;
        _train = train;
        _valid = valid;
        _modelPath = Path.GetFullPath(modelPath);
        _dataName = dataName;
        _pretrained = initialEmbedding is not null;
        Architecture = new NetworkArchitecture(
            new EmbeddingSpec(text.Vocabulary.Count, options.EmbeddingDimension, text.PaddingId),
            new GruStackSpec(options.EmbeddingDimension, options.HiddenSize, options.Layers, options.Bidirectional, options.Convention),
            new HeadSpec(1, OutputActivation.Sigmoid));
        Weights = ParameterSet.Initialize(Architecture, Seeds.Mix(options.Seed, 1));
        if (initialEmbedding is not null)
        {
            initialEmbedding.AsSpan().CopyTo(Weights[TensorNames.EmbeddingWeight]);
        }

        Optimizer = options.Optimizer == OptimizerKind.Adam
            ? new Adam(Weights, options.LearningRate)
            : new Sgd(Weights, options.LearningRate, options.Momentum);
        Runner = new ShardedBatchRunner(Architecture, options.Shards);
        State = new CheckpointState { Fingerprint = Fingerprint() };
    }

    /// <summary>The network's shape.</summary>
    public NetworkArchitecture Architecture { get; }

    /// <summary>The current weights.</summary>
    public ParameterSet Weights { get; }

    /// <summary>The optimizer.</summary>
    public IOptimizer Optimizer { get; }

    /// <summary>The batch runner (also used to evaluate).</summary>
    public ShardedBatchRunner Runner { get; }

    /// <summary>Position, history and best result.</summary>
    public CheckpointState State { get; private set; }

    /// <summary>The checkpoint file.</summary>
    public string CheckpointPath => _modelPath + ".ckpt";

    /// <summary>The best-validation model file.</summary>
    public string ModelPath => _modelPath;

    /// <summary>Told after every batch.</summary>
    public Action<BatchProgress>? BatchDone { get; set; }

    /// <summary>Told after every epoch.</summary>
    public Action<EpochMetrics>? EpochDone { get; set; }

    /// <summary>Told when a checkpoint has been written.</summary>
    public Action<string>? CheckpointWritten { get; set; }

    /// <summary>
    /// Loads the checkpoint, if there is one. Returns false when there is none.
    /// </summary>
    /// <exception cref="InvalidOperationException">The checkpoint belongs to another configuration or data set.</exception>
    public bool Resume()
    {
        if (!File.Exists(CheckpointPath))
        {
            return false;
        }

        CheckpointState loaded = Checkpoint.Load(CheckpointPath, Weights, Optimizer.State);
        if (loaded.Fingerprint != State.Fingerprint)
        {
            throw new InvalidOperationException(
                $"{CheckpointPath} was written for another configuration or data set; delete it or train with the same options\n  checkpoint: {loaded.Fingerprint}\n  now:        {State.Fingerprint}");
        }

        Optimizer.Restore(loaded.OptimizerSteps);
        State = loaded;
        return true;
    }

    /// <summary>The batches of a 0-based epoch as indices into the training set, exactly as <see cref="Run"/> trains them.</summary>
    public List<int[]> EpochBatches(int epoch) => EpochBatches(epoch, _train.Sequences.Select(s => s.Length).ToArray());

    /// <summary>
    /// Writes the batches of a 0-based epoch to <paramref name="path"/> (<see cref="BatchPlanFile"/>), so another
    /// trainer can be timed on exactly these batches.
    /// </summary>
    public void WriteBatchPlan(string path, int epoch) =>
        BatchPlanFile.Write(path, EpochBatches(epoch), _train, _text.Vocabulary.Count, _text.PaddingId);

    private List<int[]> EpochBatches(int epoch, int[] lengths) =>
        LengthBucketBatcher.Batches(lengths, _options.BatchSize, _options.BucketPool, _options.Seed, epoch);

    /// <summary>
    /// Trains until every epoch ran, early stopping triggers, <paramref name="cancel"/> is signalled, or
    /// <paramref name="stopAfterBatches"/> batches ran in this call (for tests). Cancellation is honoured between
    /// batches and leaves a checkpoint at the position reached.
    /// </summary>
    public RunStatus Run(CancellationToken cancel = default, int? stopAfterBatches = null)
    {
        int batchesThisCall = 0;
        ParameterSet gradients = Weights.ZerosLike();
        int[] lengths = _train.Sequences.Select(s => s.Length).ToArray();
        if (State.Stopped)
        {
            return RunStatus.EarlyStopped;
        }

        while (State.Epoch < _options.Epochs)
        {
            int epoch = State.Epoch;
            List<int[]> batches = EpochBatches(epoch, lengths);
            var clock = Stopwatch.StartNew();
            double secondsBefore = State.EpochSeconds;
            while (State.NextBatch < batches.Count)
            {
                if (cancel.IsCancellationRequested || (stopAfterBatches is int stop && batchesThisCall >= stop))
                {
                    State.EpochSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
                    SaveCheckpoint();
                    return RunStatus.Interrupted;
                }

                int batchIndex = State.NextBatch;
                int[] batch = batches[batchIndex];
                int[][] sequences = batch.Select(i => _train.Sequences[i]).ToArray();
                float[] labels = batch.Select(i => _train.Labels[i]).ToArray();
                float[][]? masks = DropoutMasks(epoch, batchIndex, batch.Length);
                (double loss, int correct) = Runner.Train(Weights, gradients, sequences, labels, masks);
                if (_options.ClipNorm is double maxNorm)
                {
                    GradientClipping.ClipByGlobalNorm(gradients, maxNorm);
                }

                Optimizer.Step(Weights, gradients);
                State.OptimizerSteps = Optimizer.Steps;
                State.EpochLossSum += loss;
                State.EpochCorrect += correct;
                State.EpochSeen += batch.Length;
                State.EpochTokens += sequences.Sum(s => (long)s.Length);
                State.NextBatch = batchIndex + 1;
                batchesThisCall++;
                double seconds = secondsBefore + clock.Elapsed.TotalSeconds;
                BatchDone?.Invoke(new BatchProgress(epoch + 1, State.NextBatch, batches.Count, State.EpochTokens, seconds,
                    State.EpochLossSum / State.EpochSeen, (double)State.EpochCorrect / State.EpochSeen));
                if (_options.CheckpointEvery > 0 && State.NextBatch % _options.CheckpointEvery == 0 && State.NextBatch < batches.Count)
                {
                    State.EpochSeconds = seconds;
                    SaveCheckpoint();
                }
            }

            double epochSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
            EvaluationResult valid = Evaluation.Evaluate(Runner, Weights, _valid);
            var metrics = new EpochMetrics(epoch + 1, State.EpochLossSum / Math.Max(1, State.EpochSeen), (double)State.EpochCorrect / Math.Max(1, State.EpochSeen),
                valid.Loss, valid.Accuracy, epochSeconds, State.EpochTokens);
            State.History.Add(metrics);
            if (valid.Loss < State.BestValidLoss || _valid.Count == 0)
            {
                State.BestValidLoss = valid.Loss;
                State.BestEpoch = epoch + 1;
                State.EpochsWithoutImprovement = 0;
                ModelFileWriter.Write(ToModel(), _modelPath);
            }
            else
            {
                State.EpochsWithoutImprovement++;
            }

            State.Epoch = epoch + 1;
            State.NextBatch = 0;
            State.EpochLossSum = 0;
            State.EpochCorrect = 0;
            State.EpochSeen = 0;
            State.EpochTokens = 0;
            State.EpochSeconds = 0;
            if (_options.EarlyStoppingPatience is int patience && State.EpochsWithoutImprovement >= patience)
            {
                State.Stopped = true;
            }

            SaveCheckpoint();
            EpochDone?.Invoke(metrics);
            if (State.Stopped)
            {
                return RunStatus.EarlyStopped;
            }
        }

        return RunStatus.Completed;
    }

    /// <summary>The current weights as a model carrying the vocabulary, tokenizer settings and provenance.</summary>
    public GruModel ToModel(IEnumerable<KeyValuePair<string, double>>? extraMetrics = null)
    {
        var metrics = new List<KeyValuePair<string, double>>();
        if (State.History.Count > 0)
        {
            EpochMetrics best = State.History.FirstOrDefault(m => m.Epoch == State.BestEpoch) ?? State.History[^1];
            metrics.Add(new("epoch", best.Epoch));
            metrics.Add(new("train_loss", best.TrainLoss));
            metrics.Add(new("train_accuracy", best.TrainAccuracy));
            metrics.Add(new("valid_loss", best.ValidLoss));
            metrics.Add(new("valid_accuracy", best.ValidAccuracy));
        }

        if (extraMetrics is not null)
        {
            metrics.AddRange(extraMetrics);
        }

        string producer = "tinygru " + (typeof(TrainingRun).Assembly.GetName().Version?.ToString(3) ?? "?") + " train";
        return Weights.ToModel(_text, new Provenance(producer, _pretrained ? "trained; embedding initialised from pre-trained vectors" : "trained from random initialisation",
            _dataName, metrics, "options: " + Describe(_options)));
    }

    /// <summary>Reloads the best model's weights (from the model file) into <see cref="Weights"/>.</summary>
    public void LoadBestWeights()
    {
        if (File.Exists(_modelPath))
        {
            GruModel best = ModelFileReader.Read(_modelPath);
            Weights.CopyFrom(ParameterSet.FromModel(best));
        }
    }

    private float[][]? DropoutMasks(int epoch, int batchIndex, int count)
    {
        double p = _options.Dropout;
        if (p <= 0)
        {
            return null;
        }

        var random = new Random(Seeds.Mix(_options.Seed, 2, epoch, batchIndex));
        float keep = (float)(1 / (1 - p));
        int features = Architecture.HeadInputSize;
        var masks = new float[count][];
        for (int b = 0; b < count; b++)
        {
            masks[b] = new float[features];
            for (int k = 0; k < features; k++)
            {
                masks[b][k] = random.NextDouble() < p ? 0f : keep;
            }
        }

        return masks;
    }

    private void SaveCheckpoint()
    {
        Checkpoint.Save(CheckpointPath, State, Weights, Optimizer.State);
        CheckpointWritten?.Invoke(CheckpointPath);
    }

    private string Fingerprint()
    {
        long tokens = _train.Tokens;
        long hash = 17;
        foreach (string token in _text.Vocabulary)
        {
            hash = hash * 31 + StableHash(token);
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{Describe(_options with { Epochs = 0, EarlyStoppingPatience = null })}; train={_train.Count}/{tokens}; valid={_valid.Count}; vocab={_text.Vocabulary.Count}/{hash & 0xFFFFFFFF:x8}");
    }

    private static long StableHash(string s)
    {
        long h = 0;
        foreach (char c in s)
        {
            h = h * 131 + c;
        }

        return h;
    }

    /// <summary>The options as one line (omits the checkpoint interval, which does not change results).</summary>
    public static string Describe(TrainerOptions o) => string.Create(CultureInfo.InvariantCulture,
        $"embedding={o.EmbeddingDimension} hidden={o.HiddenSize} layers={o.Layers} bidirectional={o.Bidirectional} convention={GruConventionNames.ToName(o.Convention)} " +
        $"dropout={o.Dropout} batch={o.BatchSize} epochs={o.Epochs} optimizer={o.Optimizer} lr={o.LearningRate} momentum={o.Momentum} clip={o.ClipNorm?.ToString(CultureInfo.InvariantCulture) ?? "none"} " +
        $"patience={o.EarlyStoppingPatience?.ToString(CultureInfo.InvariantCulture) ?? "none"} seed={o.Seed} shards={o.Shards} pool={o.BucketPool}");
}
