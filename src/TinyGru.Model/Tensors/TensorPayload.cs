using System;
using System.Security.Cryptography;
using System.Text;

namespace TinyGru.Model.Tensors
{
    /// <summary>
    /// The byte form of tensor values in a model file: little-endian float32, base64-encoded, with a SHA-256
    /// checksum of the raw bytes so that a flipped character is caught even when it still decodes.
    /// </summary>
    public static class TensorPayload
    {
        /// <summary>The prefix of checksum strings, naming the algorithm.</summary>
        public const string ChecksumPrefix = "sha256:";

        /// <summary>The little-endian bytes of <paramref name="values"/>.</summary>
        public static byte[] ToBytes(float[] values)
        {
            var bytes = new byte[values.Length * 4];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            if (!BitConverter.IsLittleEndian)
            {
                for (int i = 0; i < bytes.Length; i += 4)
                {
                    Array.Reverse(bytes, i, 4);
                }
            }

            return bytes;
        }

        /// <summary>The bytes a model file stores for <paramref name="tensor"/>'s values: int8 or little-endian float32.</summary>
        public static byte[] ToBytes(Tensor tensor) =>
            tensor.DataType == TensorDataType.Int8 ? ToBytes(tensor.Quantized!) : ToBytes(tensor.Values);

        /// <summary>The bytes of int8 values (two's complement, one byte each).</summary>
        public static byte[] ToBytes(sbyte[] values)
        {
            var bytes = new byte[values.Length];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            return bytes;
        }

        /// <summary>The int8 values held in <paramref name="bytes"/>.</summary>
        public static sbyte[] ToInt8(byte[] bytes)
        {
            var values = new sbyte[bytes.Length];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return values;
        }

        /// <summary>The float32 values held in little-endian <paramref name="bytes"/> (length a multiple of 4).</summary>
        public static float[] ToFloats(byte[] bytes)
        {
            if (!BitConverter.IsLittleEndian)
            {
                bytes = (byte[])bytes.Clone();
                for (int i = 0; i < bytes.Length; i += 4)
                {
                    Array.Reverse(bytes, i, 4);
                }
            }

            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, values.Length * 4);
            return values;
        }

        /// <summary><c>sha256:</c> followed by the lower-case hex SHA-256 of <paramref name="bytes"/>.</summary>
        public static string Checksum(byte[] bytes)
        {
            byte[] hash;
            using (SHA256 sha = SHA256.Create())
            {
                hash = sha.ComputeHash(bytes);
            }

            var text = new StringBuilder(ChecksumPrefix.Length + 64).Append(ChecksumPrefix);
            foreach (byte b in hash)
            {
                text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
