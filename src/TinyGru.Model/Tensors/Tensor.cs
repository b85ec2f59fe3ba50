using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TinyGru.Model.Tensors
{
    /// <summary>How a tensor's elements are stored in a model file.</summary>
    public enum TensorDataType
    {
        /// <summary>IEEE-754 binary32, little-endian.</summary>
        Float32,

        /// <summary>
        /// Symmetric int8 in [−127, 127] with one float32 scale per row (the first dimension): value = q · scale[row].
        /// Only for weight matrices; biases stay float32.
        /// </summary>
        Int8,
    }

    /// <summary>Names of the storage types as written in model files.</summary>
    public static class TensorDataTypeNames
    {
        /// <summary>The file name of <see cref="TensorDataType.Float32"/>.</summary>
        public const string Float32 = "float32";

        /// <summary>The file name of <see cref="TensorDataType.Int8"/>.</summary>
        public const string Int8 = "int8";

        /// <summary>Every type this version of the format reads.</summary>
        public static readonly IReadOnlyList<string> Supported = new[] { Float32, Int8 };

        /// <summary>The name written to files for <paramref name="type"/>.</summary>
        public static string ToName(TensorDataType type) => type == TensorDataType.Int8 ? Int8 : Float32;
    }

    /// <summary>
    /// A named, row-major tensor. Stored as float32, or as int8 with one scale per row; <see cref="Values"/> is
    /// always the float values the tensor stands for (for int8, q · scale, exactly as every engine computes them).
    /// </summary>
    public sealed class Tensor
    {
        private readonly int[] _shape;

        /// <summary>Creates a float32 tensor; <paramref name="values"/> is taken over, not copied.</summary>
        /// <exception cref="ArgumentException">The shape has a negative dimension or does not match the value count.</exception>
        public Tensor(string name, int[] shape, float[] values)
        {
            Name = name ?? throw new ArgumentNullException(nameof(name));
            _shape = (int[])(shape ?? throw new ArgumentNullException(nameof(shape))).Clone();
            Values = values ?? throw new ArgumentNullException(nameof(values));
            long count = ElementCountOf(_shape);
            if (count < 0)
            {
                throw new ArgumentException($"tensor '{name}': shape {FormatShape(_shape)} has a negative dimension", nameof(shape));
            }

            if (count != values.Length)
            {
                throw new ArgumentException(
                    $"tensor '{name}': shape {FormatShape(_shape)} holds {count} values, but {values.Length} were given", nameof(values));
            }
        }

        /// <summary>
        /// Creates an int8 tensor with one scale per row (the first dimension); the arrays are taken over, not copied.
        /// </summary>
        /// <exception cref="ArgumentException">The shape is not 2-D, does not match the value count, or the scale count is not the row count.</exception>
        public Tensor(string name, int[] shape, sbyte[] quantized, float[] rowScales)
            : this(name, shape, Dequantize(name, shape, quantized, rowScales))
        {
            DataType = TensorDataType.Int8;
            Quantized = quantized;
            RowScales = rowScales;
        }

        /// <summary>The tensor's name, e.g. <c>gru.weight_ih_l0</c>.</summary>
        public string Name { get; }

        /// <summary>The dimensions, outermost first.</summary>
        public IReadOnlyList<int> Shape => _shape;

        /// <summary>How the values are stored in a model file.</summary>
        public TensorDataType DataType { get; } = TensorDataType.Float32;

        /// <summary>The float values in row-major order (for int8: q · scale[row]). Owned by the tensor: read, never modify.</summary>
        public float[] Values { get; }

        /// <summary>For <see cref="TensorDataType.Int8"/>: the int8 values in row-major order; otherwise null.</summary>
        public sbyte[]? Quantized { get; }

        /// <summary>For <see cref="TensorDataType.Int8"/>: one scale per row; otherwise null.</summary>
        public float[]? RowScales { get; }

        /// <summary>The number of values.</summary>
        public int ElementCount => Values.Length;

        /// <summary>Payload size in a model file, in bytes (int8: one byte per value plus four per row scale).</summary>
        public long PayloadBytes => DataType == TensorDataType.Int8 ? Values.Length + 4L * RowScales!.Length : 4L * Values.Length;

        /// <summary>The shape as text, e.g. <c>[48, 16]</c>.</summary>
        public string ShapeText => FormatShape(_shape);

        /// <summary>Whether the shape equals <paramref name="expected"/>.</summary>
        public bool HasShape(IReadOnlyList<int> expected) => _shape.SequenceEqual(expected);

        private static float[] Dequantize(string name, int[] shape, sbyte[] quantized, float[] rowScales)
        {
            if (shape is null || shape.Length != 2)
            {
                throw new ArgumentException($"tensor '{name}': int8 tensors are weight matrices; shape {FormatShape(shape ?? new int[0])} is not 2-D", nameof(shape));
            }

            if (quantized.Length != (long)shape[0] * shape[1])
            {
                throw new ArgumentException($"tensor '{name}': shape {FormatShape(shape)} holds {(long)shape[0] * shape[1]} values, but {quantized.Length} were given", nameof(quantized));
            }

            if (rowScales.Length != shape[0])
            {
                throw new ArgumentException($"tensor '{name}': {rowScales.Length} row scales for {shape[0]} rows", nameof(rowScales));
            }

            var values = new float[quantized.Length];
            int columns = shape[1];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = quantized[i] * rowScales[i / columns];
            }

            return values;
        }

        /// <summary>Writes <paramref name="shape"/> as <c>[a, b]</c>.</summary>
        public static string FormatShape(IEnumerable<int> shape) =>
            "[" + string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture))) + "]";

        /// <summary>The product of the dimensions, or −1 when one is negative.</summary>
        public static long ElementCountOf(IReadOnlyList<int> shape)
        {
            long count = 1;
            foreach (int dimension in shape)
            {
                if (dimension < 0)
                {
                    return -1;
                }

                count *= dimension;
                if (count > int.MaxValue)
                {
                    return long.MaxValue;
                }
            }

            return count;
        }
    }
}
