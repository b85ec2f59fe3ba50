using System;
using System.Collections.Generic;
using TinyGru.Model.Architecture;
using TinyGru.Training.Loss;

namespace TinyGru.Training.Model;

/// <summary>What one forward (and backward) pass over a batch produced.</summary>
/// <param name="Logits">One logit per sequence, in the order the sequences were given.</param>
/// <param name="LossSum">Σ BCE-with-logits over the batch (divide by the count for the mean).</param>
/// <param name="Correct">Sequences whose prediction (logit ≥ 0 ⇔ positive) matches the label.</param>
public sealed record BatchResult(float[] Logits, double LossSum, int Correct);

/// <summary>
/// Forward and backward pass of the whole classifier — embedding → GRU stack (stacked, bidirectional,
/// either convention) → dropout → linear head → BCE-with-logits — over one packed batch, single-threaded.
/// The trainer runs one instance per batch shard on each core; instances keep their buffers between batches.
/// </summary>
public sealed class NetworkTrainer
{
    private readonly NetworkArchitecture _architecture;
    private readonly GruLayerTrainer[][] _layers; // [layer][direction]
    private float[] _embedded = Array.Empty<float>();
    private float[] _inputGradient = Array.Empty<float>();
    private float[][] _layerInputs;                // per layer, per direction: the input in that direction's row order
    private float[][] _layerOutputs;               // per layer: [rows × D·H] in forward row order
    private float[][] _outputGradients;            // per direction: [rows × H]

    /// <summary>Creates the pass for <paramref name="architecture"/> (an embedding and a one-output head are required).</summary>
    public NetworkTrainer(NetworkArchitecture architecture)
    {
        if (architecture.Embedding is null || architecture.Head is null || architecture.Head.Outputs != 1)
        {
            throw new ArgumentException("the trainer trains Embedding → GRU → Linear(1) binary classifiers", nameof(architecture));
        }

        _architecture = architecture;
        GruStackSpec gru = architecture.Gru;
        _layers = new GruLayerTrainer[gru.Layers][];
        _layerInputs = new float[gru.Layers * gru.Directions][];
        _layerOutputs = new float[gru.Layers][];
        _outputGradients = new float[gru.Directions][];
        for (int layer = 0; layer < gru.Layers; layer++)
        {
            _layers[layer] = new GruLayerTrainer[gru.Directions];
            _layerOutputs[layer] = Array.Empty<float>();
            for (int d = 0; d < gru.Directions; d++)
            {
                _layers[layer][d] = new GruLayerTrainer(gru.LayerInputSize(layer), gru.HiddenSize, gru.Convention);
                _layerInputs[layer * gru.Directions + d] = Array.Empty<float>();
            }
        }

        for (int d = 0; d < gru.Directions; d++)
        {
            _outputGradients[d] = Array.Empty<float>();
        }
    }

    /// <summary>
    /// Runs the batch. With <paramref name="gradients"/> it also back-propagates the loss scaled by
    /// <paramref name="lossScale"/> (1/batch size for a mean over the whole batch) and adds every gradient into it.
    /// </summary>
    /// <param name="weights">The network's current weights (read only).</param>
    /// <param name="sequences">Token ids per sequence, each non-empty.</param>
    /// <param name="labels">0 or 1 per sequence.</param>
    /// <param name="gradients">Where gradients are added, or null for a forward pass only.</param>
    /// <param name="lossScale">Factor on every per-example loss gradient.</param>
    /// <param name="dropoutMasks">Per sequence, a multiplier per head input (0 or 1/(1−p)), or null for no dropout.</param>
    public BatchResult Run(ParameterSet weights, IReadOnlyList<int[]> sequences, IReadOnlyList<float> labels,
        ParameterSet? gradients, double lossScale = 1.0, IReadOnlyList<float[]>? dropoutMasks = null)
    {
        var batch = new PackedBatch(sequences, labels);
        GruStackSpec gru = _architecture.Gru;
        EmbeddingSpec embedding = _architecture.Embedding!;
        int h = gru.HiddenSize, directions = gru.Directions, rows = batch.Rows, features = gru.OutputSize;

        // Embedding lookup into packed rows.
        int e = embedding.Dimension;
        float[] table = weights[TensorNames.EmbeddingWeight];
        GruLayerTrainer.Ensure(ref _embedded, (long)rows * e);
        for (int row = 0; row < rows; row++)
        {
            int id = batch.Tokens[row];
            if ((uint)id >= (uint)embedding.VocabularySize)
            {
                throw new ArgumentException($"token id {id} is outside the vocabulary [0, {embedding.VocabularySize - 1}]", nameof(sequences));
            }

            Array.Copy(table, (long)id * e, _embedded, (long)row * e, e);
        }

        // GRU stack.
        float[] input = _embedded;
        for (int layer = 0; layer < gru.Layers; layer++)
        {
            int inputSize = gru.LayerInputSize(layer);
            GruLayerTrainer.Ensure(ref _layerOutputs[layer], (long)rows * features);
            float[] output = _layerOutputs[layer];
            for (int d = 0; d < directions; d++)
            {
                bool reverse = d == 1;
                float[] directionInput;
                if (reverse)
                {
                    ref float[] reversed = ref _layerInputs[layer * directions + d];
                    GruLayerTrainer.Ensure(ref reversed, (long)rows * inputSize);
                    Permute(input, reversed, batch.ReverseRow, rows, inputSize, inputSize, 0);
                    directionInput = reversed;
                }
                else
                {
                    directionInput = input;
                }

                float[] result = _layers[layer][d].Forward(batch, directionInput,
                    weights[TensorNames.WeightIh(layer, reverse)], weights[TensorNames.WeightHh(layer, reverse)],
                    weights[TensorNames.BiasIh(layer, reverse)], weights[TensorNames.BiasHh(layer, reverse)]);
                for (int row = 0; row < rows; row++)
                {
                    int target = reverse ? batch.ReverseRow[row] : row;
                    Array.Copy(result, (long)row * h, output, (long)target * features + d * h, h);
                }
            }

            input = output;
        }

        // Head on the last layer's final states (forward, then reverse), with dropout.
        int last = gru.Layers - 1;
        float[] headWeight = weights[TensorNames.HeadWeight];
        float headBias = weights[TensorNames.HeadBias][0];
        var logits = new float[batch.Count];
        var headInputs = new float[batch.Count][];
        double lossSum = 0;
        int correct = 0;
        var logitsInOrder = new float[batch.Count];
        for (int b = 0; b < batch.Count; b++)
        {
            var x = new float[features];
            int lastRow = batch.LastRow(b);
            for (int d = 0; d < directions; d++)
            {
                Array.Copy(_layers[last][d].Output, (long)lastRow * h, x, d * h, h);
            }

            float[]? mask = dropoutMasks?[batch.Order[b]];
            if (mask is not null)
            {
                for (int k = 0; k < features; k++)
                {
                    x[k] *= mask[k];
                }
            }

            double sum = headBias;
            for (int k = 0; k < features; k++)
            {
                sum += (double)headWeight[k] * x[k];
            }

            logits[b] = (float)sum;
            headInputs[b] = x;
            lossSum += BceWithLogits.Loss(logits[b], batch.Labels[b]);
            if ((logits[b] >= 0) == (batch.Labels[b] >= 0.5f))
            {
                correct++;
            }

            logitsInOrder[batch.Order[b]] = logits[b];
        }

        if (gradients is null)
        {
            return new BatchResult(logitsInOrder, lossSum, correct);
        }

        // Backward: head.
        float[] gradHeadWeight = gradients[TensorNames.HeadWeight];
        float[] gradHeadBias = gradients[TensorNames.HeadBias];
        for (int d = 0; d < directions; d++)
        {
            GruLayerTrainer.Ensure(ref _outputGradients[d], (long)rows * h);
            Array.Clear(_outputGradients[d], 0, rows * h);
        }

        for (int b = 0; b < batch.Count; b++)
        {
            float dLogit = (float)(BceWithLogits.Gradient(logits[b], batch.Labels[b]) * lossScale);
            gradHeadBias[0] += dLogit;
            float[] x = headInputs[b];
            float[]? mask = dropoutMasks?[batch.Order[b]];
            int lastRow = batch.LastRow(b);
            for (int k = 0; k < features; k++)
            {
                gradHeadWeight[k] += dLogit * x[k];
                float dx = dLogit * headWeight[k] * (mask is null ? 1f : mask[k]);
                _outputGradients[k / h][(long)lastRow * h + k % h] += dx;
            }
        }

        // Backward: GRU stack, last layer first.
        for (int layer = last; layer >= 0; layer--)
        {
            int inputSize = gru.LayerInputSize(layer);
            bool needInput = true;
            float[]? inputGradient = null;
            for (int d = 0; d < directions; d++)
            {
                bool reverse = d == 1;
                float[]? dX = _layers[layer][d].Backward(_outputGradients[d],
                    weights[TensorNames.WeightIh(layer, reverse)], weights[TensorNames.WeightHh(layer, reverse)],
                    gradients[TensorNames.WeightIh(layer, reverse)], gradients[TensorNames.WeightHh(layer, reverse)],
                    gradients[TensorNames.BiasIh(layer, reverse)], gradients[TensorNames.BiasHh(layer, reverse)], needInput);
                if (d == 0)
                {
                    GruLayerTrainer.Ensure(ref _inputGradient, (long)rows * inputSize);
                    Array.Copy(dX!, _inputGradient, (long)rows * inputSize);
                    inputGradient = _inputGradient;
                }
                else
                {
                    for (int row = 0; row < rows; row++)
                    {
                        int target = batch.ReverseRow[row];
                        System.Numerics.Tensors.TensorPrimitives.Add(
                            inputGradient.AsSpan((int)((long)target * inputSize), inputSize),
                            dX.AsSpan((int)((long)row * inputSize), inputSize),
                            inputGradient.AsSpan((int)((long)target * inputSize), inputSize));
                    }
                }
            }

            if (layer > 0)
            {
                // The layer below emitted [forward | reverse] per row in forward order.
                for (int d = 0; d < directions; d++)
                {
                    float[] target = _outputGradients[d];
                    for (int row = 0; row < rows; row++)
                    {
                        int source = d == 1 ? batch.ReverseRow[row] : row;
                        Array.Copy(inputGradient!, (long)source * inputSize + d * h, target, (long)row * h, h);
                    }
                }
            }
            else
            {
                // Embedding rows; the padding row never gets a gradient.
                float[] gradTable = gradients[TensorNames.EmbeddingWeight];
                int? padding = embedding.PaddingIndex;
                for (int row = 0; row < rows; row++)
                {
                    int id = batch.Tokens[row];
                    if (id == padding)
                    {
                        continue;
                    }

                    System.Numerics.Tensors.TensorPrimitives.Add(
                        gradTable.AsSpan(id * e, e), inputGradient.AsSpan(row * e, e), gradTable.AsSpan(id * e, e));
                }
            }
        }

        return new BatchResult(logitsInOrder, lossSum, correct);
    }

    private static void Permute(float[] source, float[] target, int[] map, int rows, int width, int stride, int offset)
    {
        for (int row = 0; row < rows; row++)
        {
            Array.Copy(source, (long)map[row] * stride + offset, target, (long)row * width, width);
        }
    }
}
