using System;
using System.Collections.Generic;
using TinyGru.Model;
using TinyGru.Model.Architecture;

namespace TinyGru.Reference;

/// <summary>
/// The oracle: an obviously-correct forward pass of a whole TinyGru network — embedding, stacked and
/// bidirectional GRU layers in either convention, variable lengths, linear head — written for reading,
/// not speed. Weights are float32 as stored; every dot product and activation is evaluated in float64
/// and rounded once, so this engine is at least as exact as PyTorch's float32 forward it is checked against.
/// Int8 models run on their dequantized weights (q·s), which is exactly what <c>w8a32</c> means; <c>w8a8</c>
/// models also quantize activations, as defined in <c>ReferenceEngine.W8A8.cs</c>.
/// </summary>
public sealed partial class ReferenceEngine
{
    private readonly GruModel _model;
    private readonly GruStackSpec _gru;
    private readonly Direction[][] _layers; // [layer][direction]
    private readonly bool _quantizedActivations;
    private readonly CellActivations _activations;

    /// <summary>Prepares <paramref name="model"/> for evaluation.</summary>
    /// <param name="model">The network.</param>
    /// <param name="activations">σ and tanh inside the cells; <see cref="CellActivations.Exact"/> when null.</param>
    public ReferenceEngine(GruModel model, CellActivations? activations = null)
    {
        _model = model;
        _activations = activations ?? CellActivations.Exact;
        _gru = model.Architecture.Gru;
        _quantizedActivations = model.Quantization?.Mode == Model.Quantization.QuantizationMode.W8A8;
        _layers = new Direction[_gru.Layers][];
        for (int layer = 0; layer < _gru.Layers; layer++)
        {
            _layers[layer] = new Direction[_gru.Directions];
            for (int direction = 0; direction < _gru.Directions; direction++)
            {
                bool reverse = direction == 1;
                _layers[layer][direction] = new Direction(
                    model[TensorNames.WeightIh(layer, reverse)],
                    model[TensorNames.WeightHh(layer, reverse)],
                    model[TensorNames.BiasIh(layer, reverse)].Values,
                    model[TensorNames.BiasHh(layer, reverse)].Values,
                    _gru.LayerInputSize(layer));
            }
        }
    }

    /// <summary>
    /// Runs the GRU stack over one sequence.
    /// </summary>
    /// <param name="inputs">One feature vector of <see cref="GruStackSpec.InputSize"/> floats per step; steps at or after <paramref name="length"/> are ignored.</param>
    /// <param name="length">How many leading steps are real (as in a packed sequence); 1 ≤ length ≤ inputs.Count.</param>
    /// <param name="initialState">Per layer·direction (index layer·D + direction) an H-vector, or null for zeros.</param>
    /// <returns>Every step's last-layer output (zero at and after <paramref name="length"/>) and every layer·direction's final state.</returns>
    public GruRun RunGru(IReadOnlyList<float[]> inputs, int length, IReadOnlyList<float[]>? initialState = null)
    {
        if (length < 1 || length > inputs.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(length), $"length {length} must be between 1 and the {inputs.Count} steps given");
        }

        int h = _gru.HiddenSize, directions = _gru.Directions, stateCount = _gru.Layers * directions;
        if (initialState is not null && initialState.Count != stateCount)
        {
            throw new ArgumentException($"{initialState.Count} initial states given; this stack has {stateCount} (layers × directions)", nameof(initialState));
        }

        var finalStates = new float[stateCount][];
        IReadOnlyList<float[]> layerInput = inputs;
        float[][] layerOutput = Array.Empty<float[]>();
        for (int layer = 0; layer < _gru.Layers; layer++)
        {
            layerOutput = new float[inputs.Count][];
            for (int t = 0; t < inputs.Count; t++)
            {
                layerOutput[t] = new float[_gru.OutputSize]; // stays zero for t >= length, as pad_packed_sequence gives
            }

            for (int direction = 0; direction < directions; direction++)
            {
                int stateIndex = layer * directions + direction;
                float[] state = initialState is null ? new float[h] : (float[])initialState[stateIndex].Clone();
                Direction cell = _layers[layer][direction];
                for (int i = 0; i < length; i++)
                {
                    int t = direction == 0 ? i : length - 1 - i; // the reverse direction starts at the last real step
                    state = _quantizedActivations ? StepW8A8(cell, layerInput[t], state) : Step(cell, layerInput[t], state);
                    Array.Copy(state, 0, layerOutput[t], direction * h, h);
                }

                finalStates[stateIndex] = state;
            }

            layerInput = layerOutput;
        }

        return new GruRun(layerOutput, finalStates);
    }

    /// <summary>
    /// Classifies one token sequence: embedding → GRU over all of <paramref name="tokenIds"/> → head on the
    /// last layer's final state (forward, then reverse for bidirectional models).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no embedding or no head.</exception>
    /// <exception cref="ArgumentException">The sequence is empty or holds an id outside the vocabulary.</exception>
    public Prediction Predict(IReadOnlyList<int> tokenIds)
    {
        if (tokenIds.Count == 0)
        {
            throw new ArgumentException("at least one token is needed", nameof(tokenIds));
        }

        float[][] inputs = Embed(tokenIds);
        return PredictFromFeatures(RunGru(inputs, inputs.Length));
    }

    /// <summary>The embedding rows of <paramref name="tokenIds"/>: one GRU input vector per token.</summary>
    /// <exception cref="InvalidOperationException">The model has no embedding.</exception>
    /// <exception cref="ArgumentException">An id is outside the vocabulary.</exception>
    public float[][] Embed(IReadOnlyList<int> tokenIds)
    {
        EmbeddingSpec embedding = _model.Architecture.Embedding
            ?? throw new InvalidOperationException("this model reads feature vectors, not token ids: it has no embedding layer");
        float[] table = _model[TensorNames.EmbeddingWeight].Values;
        var inputs = new float[tokenIds.Count][];
        for (int t = 0; t < inputs.Length; t++)
        {
            int id = tokenIds[t];
            if (id < 0 || id >= embedding.VocabularySize)
            {
                throw new ArgumentException($"token {t} has id {id}, outside the vocabulary [0, {embedding.VocabularySize - 1}]", nameof(tokenIds));
            }

            inputs[t] = table.AsSpan(id * embedding.Dimension, embedding.Dimension).ToArray();
        }

        return inputs;
    }

    /// <summary>Applies the head to a finished GRU run.</summary>
    /// <exception cref="InvalidOperationException">The model has no head.</exception>
    public Prediction PredictFromFeatures(GruRun run)
    {
        HeadSpec head = _model.Architecture.Head ?? throw new InvalidOperationException("this model has no head (a bare GRU)");
        int h = _gru.HiddenSize, directions = _gru.Directions, lastLayer = _gru.Layers - 1;
        var features = new float[directions * h];
        for (int direction = 0; direction < directions; direction++)
        {
            Array.Copy(run.FinalStates[lastLayer * directions + direction], 0, features, direction * h, h);
        }

        float[] weight = _model[TensorNames.HeadWeight].Values, bias = _model[TensorNames.HeadBias].Values;
        var logits = new float[head.Outputs];
        var outputs = new float[head.Outputs];
        for (int o = 0; o < head.Outputs; o++)
        {
            logits[o] = (float)(Dot(weight, o * features.Length, features) + bias[o]);
            outputs[o] = head.Activation == OutputActivation.Sigmoid ? (float)Sigmoid(logits[o]) : logits[o];
        }

        return new Prediction(logits, outputs);
    }

    /// <summary>One GRU step of one layer and direction: h' from x and h.</summary>
    private float[] Step(Direction cell, float[] x, float[] h)
    {
        int hidden = h.Length;
        var r = new double[hidden];
        var z = new double[hidden];
        for (int j = 0; j < hidden; j++)
        {
            r[j] = _activations.Sigmoid(Dot(cell.WeightIh, j * cell.InputSize, x) + cell.BiasIh[j]
                                      + Dot(cell.WeightHh, j * hidden, h) + cell.BiasHh[j]);
            z[j] = _activations.Sigmoid(Dot(cell.WeightIh, (hidden + j) * cell.InputSize, x) + cell.BiasIh[hidden + j]
                                      + Dot(cell.WeightHh, (hidden + j) * hidden, h) + cell.BiasHh[hidden + j]);
        }

        var next = new float[hidden];
        if (_gru.Convention == GruConvention.PyTorch)
        {
            // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn));  h' = (1 − z) ⊙ n + z ⊙ h
            for (int j = 0; j < hidden; j++)
            {
                int row = 2 * hidden + j;
                double n = _activations.Tanh(Dot(cell.WeightIh, row * cell.InputSize, x) + cell.BiasIh[row]
                                              + r[j] * (Dot(cell.WeightHh, row * hidden, h) + cell.BiasHh[row]));
                next[j] = (float)((1 - z[j]) * n + z[j] * h[j]);
            }
        }
        else
        {
            // h~ = tanh(W_h x + U_h (r ⊙ h) + b_h), b_h = b_ih + b_hh;  h' = (1 − z) ⊙ h + z ⊙ h~
            var resetState = new double[hidden];
            for (int j = 0; j < hidden; j++)
            {
                resetState[j] = r[j] * h[j];
            }

            for (int j = 0; j < hidden; j++)
            {
                int row = 2 * hidden + j;
                double recurrent = 0;
                for (int k = 0; k < hidden; k++)
                {
                    recurrent += cell.WeightHh[row * hidden + k] * resetState[k];
                }

                double candidate = _activations.Tanh(Dot(cell.WeightIh, row * cell.InputSize, x) + recurrent
                                                      + cell.BiasIh[row] + cell.BiasHh[row]);
                next[j] = (float)((1 - z[j]) * h[j] + z[j] * candidate);
            }
        }

        return next;
    }

    private static double Dot(float[] matrix, int offset, float[] vector)
    {
        double sum = 0;
        for (int k = 0; k < vector.Length; k++)
        {
            sum += (double)matrix[offset + k] * vector[k];
        }

        return sum;
    }

    // The head's σ (the cells' are _activations).
    private static double Sigmoid(double a) => 1 / (1 + Math.Exp(-a));

    /// <summary>The weights of one layer in one direction, in PyTorch's layout.</summary>
    private sealed record Direction(Model.Tensors.Tensor Ih, Model.Tensors.Tensor Hh, float[] BiasIh, float[] BiasHh, int InputSize)
    {
        public float[] WeightIh => Ih.Values;

        public float[] WeightHh => Hh.Values;
    }
}

/// <summary>The result of running a GRU stack over one sequence.</summary>
/// <param name="Outputs">Per step, the last layer's output (D·H: forward, then reverse); zero at steps past the sequence's length.</param>
/// <param name="FinalStates">Per layer·direction (index layer·D + direction), the state after its last real step.</param>
public sealed record GruRun(float[][] Outputs, float[][] FinalStates);

/// <summary>What the head produced.</summary>
/// <param name="Logits">The linear outputs.</param>
/// <param name="Outputs">The outputs after the head's activation (probabilities for a sigmoid head).</param>
public sealed record Prediction(float[] Logits, float[] Outputs);
