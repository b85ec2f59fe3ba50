using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using TinyGru.Model;
using TinyGru.Model.Architecture;

namespace TinyGru.Benchmarks.Contenders;

/// <summary>
/// ONNX Runtime running one ONNX <c>GRU</c> node (<c>linear_before_reset=1</c>, PyTorch's convention) with the
/// model's weights: one intra-op and one inter-op thread, all graph optimisations, IOBinding over pinned arrays so
/// a call allocates no managed memory — the configuration of ../shared/docs/peers.md.
/// </summary>
public sealed class OrtGru : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions = new();
    private readonly List<OrtValue> _values = [];
    private readonly float[] _state, _nextState;

    /// <summary>Builds the graph for sequences of <paramref name="steps"/> steps over <paramref name="inputs"/> (steps × I floats).</summary>
    public OrtGru(GruModel model, int steps, float[] inputs)
    {
        GruStackSpec gru = model.Architecture.Gru;
        if (gru.Layers != 1 || gru.Bidirectional || gru.Convention != GruConvention.PyTorch)
        {
            throw new ArgumentException("the ONNX Runtime contender runs one forward PyTorch-convention layer");
        }

        int h = gru.HiddenSize, i = gru.InputSize;
        byte[] graph = BuildModel(model, steps).ToByteArray();
        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(graph, options);
        _binding = _session.CreateIoBinding();
        _state = new float[h];
        _nextState = new float[h];
        Output = new float[steps * h];
        Inputs = inputs;
        Bind(input: true, "X", inputs, [steps, 1, i]);
        Bind(input: true, "initial_h", _state, [1, 1, h]);
        Bind(input: false, "Y", Output, [steps, 1, 1, h]);
        Bind(input: false, "Y_h", _nextState, [1, 1, h]);
    }

    /// <summary>The bound input sequence (write new inputs here).</summary>
    public float[] Inputs { get; }

    /// <summary>Every step's state after <see cref="Run"/>.</summary>
    public float[] Output { get; }

    /// <summary>The state carried from call to call.</summary>
    public ReadOnlySpan<float> State => _state;

    /// <summary>Runs the bound sequence from the carried state and carries the final state on.</summary>
    public void Run()
    {
        _session.RunWithBinding(_runOptions, _binding);
        _nextState.CopyTo(_state.AsSpan());
    }

    /// <summary>Sets the carried state to zero.</summary>
    public void Reset() => Array.Clear(_state);

    public void Dispose()
    {
        _binding.Dispose();
        foreach (OrtValue value in _values)
        {
            value.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    private void Bind(bool input, string name, float[] data, long[] shape)
    {
        OrtValue value = OrtValue.CreateTensorValueFromMemory(data, shape);
        _values.Add(value);
        if (input)
        {
            _binding.BindInput(name, value);
        }
        else
        {
            _binding.BindOutput(name, value);
        }
    }

    /// <summary>
    /// The ONNX model: inputs X [T, 1, I] and initial_h [1, 1, H]; outputs Y [T, 1, 1, H] and Y_h [1, 1, H].
    /// ONNX orders gate blocks z, r, h where PyTorch orders r, z, n; B is Wb ‖ Rb.
    /// </summary>
    private static ModelProto BuildModel(GruModel model, int steps)
    {
        GruStackSpec gru = model.Architecture.Gru;
        int h = gru.HiddenSize, i = gru.InputSize;
        float[] w = ToOnnxGateOrder(model[TensorNames.WeightIh(0, false)].Values, h, i);
        float[] r = ToOnnxGateOrder(model[TensorNames.WeightHh(0, false)].Values, h, h);
        float[] b = [.. ToOnnxGateOrder(model[TensorNames.BiasIh(0, false)].Values, h, 1), .. ToOnnxGateOrder(model[TensorNames.BiasHh(0, false)].Values, h, 1)];

        var graph = new GraphProto { Name = "gru" };
        graph.Initializer.Add(Tensor("W", w, 1, 3 * h, i));
        graph.Initializer.Add(Tensor("R", r, 1, 3 * h, h));
        graph.Initializer.Add(Tensor("B", b, 1, 6 * h));
        graph.Input.Add(Value("X", steps, 1, i));
        graph.Input.Add(Value("initial_h", 1, 1, h));
        graph.Output.Add(Value("Y", steps, 1, 1, h));
        graph.Output.Add(Value("Y_h", 1, 1, h));
        var node = new NodeProto { OpType = "GRU", Name = "gru" };
        node.Input.Add(["X", "W", "R", "B", "", "initial_h"]);
        node.Output.Add(["Y", "Y_h"]);
        node.Attribute.Add(new AttributeProto { Name = "hidden_size", Type = AttributeProto.Types.AttributeType.Int, I = h });
        node.Attribute.Add(new AttributeProto { Name = "linear_before_reset", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(node);

        var onnx = new ModelProto { IrVersion = 8, ProducerName = "TinyGru.Benchmarks", Graph = graph };
        onnx.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 14 });
        return onnx;
    }

    private static float[] ToOnnxGateOrder(float[] pytorch, int h, int columns)
    {
        int block = h * columns;
        var onnx = new float[pytorch.Length];
        Array.Copy(pytorch, block, onnx, 0, block);       // z
        Array.Copy(pytorch, 0, onnx, block, block);       // r
        Array.Copy(pytorch, 2 * block, onnx, 2 * block, block); // n (ONNX "h")
        return onnx;
    }

    private static TensorProto Tensor(string name, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.Add(dims);
        tensor.FloatData.Add(values);
        return tensor;
    }

    private static ValueInfoProto Value(string name, params long[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long dim in dims)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
