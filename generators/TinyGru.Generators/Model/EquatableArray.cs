using System;
using System.Collections;
using System.Collections.Generic;

namespace TinyGru.Generators.Model
{
    /// <summary>
    /// An immutable array compared by value, so that pipeline values holding arrays stay equal across runs
    /// and the incremental driver can cache the steps after them.
    /// </summary>
    internal readonly struct EquatableArray<T> : IEquatable<EquatableArray<T>>, IReadOnlyList<T>
        where T : IEquatable<T>
    {
        private readonly T[]? _items;

        /// <summary>Wraps <paramref name="items"/> (taken over, not copied).</summary>
        public EquatableArray(T[] items) => _items = items;

        /// <summary>The number of items.</summary>
        public int Count => _items?.Length ?? 0;

        /// <summary>The item at <paramref name="index"/>.</summary>
        public T this[int index] => _items![index];

        /// <summary>The items as a span.</summary>
        public ReadOnlySpan<T> AsSpan() => _items;

        /// <inheritdoc/>
        public bool Equals(EquatableArray<T> other) => AsSpan().SequenceEqual(other.AsSpan());

        /// <inheritdoc/>
        public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

        /// <inheritdoc/>
        public override int GetHashCode()
        {
            if (_items is null)
            {
                return 0;
            }

            // Length and a sample of items: cheap for megabyte weight arrays, and equal arrays hash equal.
            int hash = _items.Length;
            int stride = Math.Max(1, _items.Length / 64);
            for (int i = 0; i < _items.Length; i += stride)
            {
                hash = unchecked((hash * 31) + _items[i].GetHashCode());
            }

            return hash;
        }

        /// <inheritdoc/>
        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)(_items ?? Array.Empty<T>())).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        /// <summary>Value equality.</summary>
        public static bool operator ==(EquatableArray<T> left, EquatableArray<T> right) => left.Equals(right);

        /// <summary>Value inequality.</summary>
        public static bool operator !=(EquatableArray<T> left, EquatableArray<T> right) => !left.Equals(right);
    }

    /// <summary>Creation helpers.</summary>
    internal static class EquatableArray
    {
        /// <summary>An empty array.</summary>
        public static EquatableArray<T> Empty<T>() where T : IEquatable<T> => new EquatableArray<T>(Array.Empty<T>());

        /// <summary>Wraps a copy of <paramref name="items"/>.</summary>
        public static EquatableArray<T> From<T>(IEnumerable<T> items) where T : IEquatable<T> =>
            new EquatableArray<T>(new List<T>(items).ToArray());
    }
}
