using System.Collections.Generic;

namespace TinyGru.Model.Json
{
    /// <summary>The kinds of value a JSON document holds.</summary>
    public enum JsonKind
    {
        /// <summary>An object: <c>{ "name": value, … }</c>.</summary>
        Object,
        /// <summary>An array: <c>[ value, … ]</c>.</summary>
        Array,
        /// <summary>A string.</summary>
        String,
        /// <summary>A number.</summary>
        Number,
        /// <summary><c>true</c> or <c>false</c>.</summary>
        Boolean,
        /// <summary><c>null</c>.</summary>
        Null,
    }

    /// <summary>
    /// One parsed JSON value with the line and column where it starts, so that every error about a model
    /// file can say exactly where the fault is. A deliberately small tree: the model file reader must run
    /// inside the source generator (netstandard2.0, no package dependencies).
    /// </summary>
    public sealed class JsonNode
    {
        private readonly List<KeyValuePair<string, JsonNode>>? _members;
        private readonly List<JsonNode>? _items;

        private JsonNode(JsonKind kind, int line, int column, string? text, bool boolean,
            List<KeyValuePair<string, JsonNode>>? members, List<JsonNode>? items)
        {
            Kind = kind;
            Line = line;
            Column = column;
            Text = text;
            Boolean = boolean;
            _members = members;
            _items = items;
        }

        /// <summary>What kind of value this is.</summary>
        public JsonKind Kind { get; }

        /// <summary>1-based line of the value's first character.</summary>
        public int Line { get; }

        /// <summary>1-based column of the value's first character.</summary>
        public int Column { get; }

        /// <summary>The decoded string for <see cref="JsonKind.String"/>, the literal digits for <see cref="JsonKind.Number"/>.</summary>
        public string? Text { get; }

        /// <summary>The value of a <see cref="JsonKind.Boolean"/>.</summary>
        public bool Boolean { get; }

        /// <summary>An object's members in file order (empty for other kinds).</summary>
        public IReadOnlyList<KeyValuePair<string, JsonNode>> Members =>
            (IReadOnlyList<KeyValuePair<string, JsonNode>>?)_members ?? System.Array.Empty<KeyValuePair<string, JsonNode>>();

        /// <summary>An array's items (empty for other kinds).</summary>
        public IReadOnlyList<JsonNode> Items => (IReadOnlyList<JsonNode>?)_items ?? System.Array.Empty<JsonNode>();

        /// <summary>The member called <paramref name="name"/>, or null when the object has none.</summary>
        public JsonNode? this[string name]
        {
            get
            {
                if (_members is null)
                {
                    return null;
                }

                foreach (KeyValuePair<string, JsonNode> member in _members)
                {
                    if (member.Key == name)
                    {
                        return member.Value;
                    }
                }

                return null;
            }
        }

        internal static JsonNode Object(int line, int column, List<KeyValuePair<string, JsonNode>> members) =>
            new JsonNode(JsonKind.Object, line, column, null, false, members, null);

        internal static JsonNode Array(int line, int column, List<JsonNode> items) =>
            new JsonNode(JsonKind.Array, line, column, null, false, null, items);

        internal static JsonNode String(int line, int column, string value) =>
            new JsonNode(JsonKind.String, line, column, value, false, null, null);

        internal static JsonNode Number(int line, int column, string literal) =>
            new JsonNode(JsonKind.Number, line, column, literal, false, null, null);

        internal static JsonNode Bool(int line, int column, bool value) =>
            new JsonNode(JsonKind.Boolean, line, column, null, value, null, null);

        internal static JsonNode Null(int line, int column) =>
            new JsonNode(JsonKind.Null, line, column, null, false, null, null);
    }
}
