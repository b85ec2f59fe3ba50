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
    }

    /// <summary>Names of the storage types as written in model files.</summary>
    public static class TensorDataTypeNames
    {
        /// <summary>The file name of <see cref="TensorDataType.Float32"/>.</summary>
        public const string Float32 = "float32";

        /// <summary>Every type this version of the format reads.</summary>
        public static readonly IReadOnlyList<string> Supported = new[] { Float32 };
    }

    /// <summary>
    /// A named, row-major tensor of float32 values. The storage type is explicit so that int8 tensors with
    /// per-row scales can join the format without breaking files written today.
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

        /// <summary>The tensor's name, e.g. <c>gru.weight_ih_l0</c>.</summary>
        public string Name { get; }

        /// <summary>The dimensions, outermost first.</summary>
        public IReadOnlyList<int> Shape => _shape;

        /// <summary>How the values are stored in a model file.</summary>
        public TensorDataType DataType => TensorDataType.Float32;

        /// <summary>The values in row-major order. Owned by the tensor: read, never modify.</summary>
        public float[] Values { get; }

        /// <summary>The number of values.</summary>
        public int ElementCount => Values.Length;

        /// <summary>Payload size in a model file, in bytes.</summary>
        public long PayloadBytes => 4L * Values.Length;

        /// <summary>The shape as text, e.g. <c>[48, 16]</c>.</summary>
        public string ShapeText => FormatShape(_shape);

        /// <summary>Whether the shape equals <paramref name="expected"/>.</summary>
        public bool HasShape(IReadOnlyList<int> expected) => _shape.SequenceEqual(expected);

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
