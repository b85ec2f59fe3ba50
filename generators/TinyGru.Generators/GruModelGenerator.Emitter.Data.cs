using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using TinyGru.Model.Architecture;

namespace TinyGru.Generators
{
    public sealed partial class GruModelGenerator
    {
        internal static partial class Emitter
        {
            /// <summary>FNV-1a over UTF-16 code units: the vocabulary hash, computed identically by the generated lookup.</summary>
            internal static uint Fnv1a(string token)
            {
                uint hash = 2166136261;
                foreach (char c in token)
                {
                    hash = unchecked((hash ^ c) * 16777619);
                }

                return hash;
            }

            private sealed partial class ClassWriter
            {
                private void WriteTokenizer()
                {
                    TinyGru.Generators.Model.TextModelSpec text = _m.Text!;
                    int maxLength = 0;
                    foreach (string token in text.Vocabulary)
                    {
                        maxLength = Math.Max(maxLength, token.Length);
                    }

                    int tableSize = 2;
                    while (tableSize < 2 * text.Vocabulary.Count)
                    {
                        tableSize *= 2;
                    }

                    string[] lines =
                    {
                        "// The review-v1 tokenizer, allocation-free; the same rules as TinyGru.Model.Text.ReviewTokenizer:",
                        "// HTML line breaks are white space; a word is a run of letters and digits with apostrophes between two letters;",
                        "// \"n't\" and the clitics 's 'm 're 've 'll 'd split off; every other character is a token of its own" + (text.Lowercase ? "; tokens are lower-cased (invariant)." : "."),
                        "// Returns the next token's id (UnknownTokenId when not in the vocabulary), or -1 at the end of the text.",
                        "private static int NextToken(ReadOnlySpan<char> text, ref int position, ref int pending)",
                        "{",
                        "    if (pending >= 0)",
                        "    {",
                        "        int second = pending;",
                        "        pending = -1;",
                        "        return second;",
                        "    }",
                        "",
                        "    int i = position;",
                        "    while (i < text.Length)",
                        "    {",
                        "        char c = text[i];",
                        "        int lineBreak = LineBreakLength(text, i);",
                        "        if (lineBreak > 0)",
                        "        {",
                        "            i += lineBreak;",
                        "            continue;",
                        "        }",
                        "",
                        "        if (char.IsWhiteSpace(c))",
                        "        {",
                        "            i++;",
                        "            continue;",
                        "        }",
                        "",
                        "        if (char.IsLetterOrDigit(c))",
                        "        {",
                        "            int end = WordEnd(text, i);",
                        "            ReadOnlySpan<char> word = text.Slice(i, end - i);",
                        "            position = end;",
                        "            // Words ending in n't split before it: don't → do n't.",
                        "            if (word.Length > 3 && SameIgnoringCase(Normalize(word[word.Length - 3]), 'n')",
                        "                && Normalize(word[word.Length - 2]) == '\\'' && SameIgnoringCase(Normalize(word[word.Length - 1]), 't'))",
                        "            {",
                        "                pending = LookUp(word.Slice(word.Length - 3));",
                        "                return LookUp(word.Slice(0, word.Length - 3));",
                        "            }",
                        "",
                        "            // A clitic 's 'm 're 've 'll 'd splits off before the (first) apostrophe: it's → it 's.",
                        "            int apostrophe = word.IndexOfAny('\\'', '\\u2019');",
                        "            if (apostrophe > 0 && IsClitic(word.Slice(apostrophe)))",
                        "            {",
                        "                pending = LookUp(word.Slice(apostrophe));",
                        "                return LookUp(word.Slice(0, apostrophe));",
                        "            }",
                        "",
                        "            return LookUp(word);",
                        "        }",
                        "",
                        "        // A surrogate pair is one token, taken as it is.",
                        "        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))",
                        "        {",
                        "            position = i + 2;",
                        "            return LookUp(text.Slice(i, 2));",
                        "        }",
                        "",
                        "        // Any other character is a token of its own.",
                        "        position = i + 1;",
                        "        return LookUp(text.Slice(i, 1));",
                        "    }",
                        "",
                        "    position = i;",
                        "    return -1;",
                        "}",
                        "",
                        "// Length of an HTML line break (<br>, <br/>, <br />, any case) starting at `start`, or 0.",
                        "private static int LineBreakLength(ReadOnlySpan<char> text, int start)",
                        "{",
                        "    if (text[start] != '<' || start + 3 >= text.Length",
                        "        || char.ToLowerInvariant(text[start + 1]) != 'b' || char.ToLowerInvariant(text[start + 2]) != 'r')",
                        "        return 0;",
                        "    int i = start + 3;",
                        "    while (i < text.Length && text[i] == ' ')",
                        "        i++;",
                        "    if (i < text.Length && text[i] == '/')",
                        "        i++;",
                        "    return i < text.Length && text[i] == '>' ? i + 1 - start : 0;",
                        "}",
                        "",
                        "// The end of the word starting at `start`: letters and digits, and apostrophes between two letters.",
                        "private static int WordEnd(ReadOnlySpan<char> text, int start)",
                        "{",
                        "    int i = start;",
                        "    while (i < text.Length)",
                        "    {",
                        "        char c = text[i];",
                        "        if (char.IsLetterOrDigit(c))",
                        "            i++;",
                        "        else if ((c == '\\'' || c == '\\u2019') && i > start && char.IsLetter(text[i - 1]) && i + 1 < text.Length && char.IsLetter(text[i + 1]))",
                        "            i++;",
                        "        else",
                        "            break;",
                        "    }",
                        "",
                        "    return i;",
                        "}",
                        "",
                        "// The character as the vocabulary stores it: ’ becomes '" + (text.Lowercase ? ", letters are lower-cased (invariant culture)." : "."),
                        "[MethodImpl(MethodImplOptions.AggressiveInlining)]",
                        "private static char Normalize(char c) => c == '\\u2019' ? '\\'' : " + (text.Lowercase ? "char.ToLowerInvariant(c)" : "c") + ";",
                        "",
                        "// Ordinal comparison ignoring case, as string.Equals(…, StringComparison.OrdinalIgnoreCase) for one character.",
                        "private static bool SameIgnoringCase(char a, char b) => a == b || char.ToUpperInvariant(a) == char.ToUpperInvariant(b);",
                        "",
                        "// Whether `tail` (starting with an apostrophe) is one of the clitics 's 'm 're 've 'll 'd, ignoring case.",
                        "private static bool IsClitic(ReadOnlySpan<char> tail)",
                        "{",
                        "    if (tail.Length == 2)",
                        "    {",
                        "        char c = Normalize(tail[1]);",
                        "        return SameIgnoringCase(c, 's') || SameIgnoringCase(c, 'm') || SameIgnoringCase(c, 'd');",
                        "    }",
                        "",
                        "    if (tail.Length == 3)",
                        "    {",
                        "        char c1 = Normalize(tail[1]), c2 = Normalize(tail[2]);",
                        "        return (SameIgnoringCase(c1, 'r') && SameIgnoringCase(c2, 'e')) || (SameIgnoringCase(c1, 'v') && SameIgnoringCase(c2, 'e'))",
                        "            || (SameIgnoringCase(c1, 'l') && SameIgnoringCase(c2, 'l'));",
                        "    }",
                        "",
                        "    return false;",
                        "}",
                        "",
                        "// Longest vocabulary entry: longer tokens are unknown without hashing.",
                        "private const int MaxTokenLength = " + N(maxLength) + ";",
                        "",
                        "// Open-addressing hash table over the vocabulary (" + N(tableSize) + " slots, FNV-1a over the normalized UTF-16 code units;",
                        "// a slot holds id + 1, 0 = empty), probed linearly and compared with span equality: no strings, no allocation.",
                        "private static int LookUp(ReadOnlySpan<char> token)",
                        "{",
                        "    if (token.Length > MaxTokenLength)",
                        "        return UnknownTokenId;",
                        "    uint hash = 2166136261;",
                        "    for (int k = 0; k < token.Length; k++)",
                        "        hash = unchecked((hash ^ Normalize(token[k])) * 16777619);",
                        "    ReadOnlySpan<int> slots = VocabularySlots;",
                        "    ReadOnlySpan<int> offsets = VocabularyOffsets;",
                        "    ReadOnlySpan<char> chars = VocabularyChars;",
                        "    for (int slot = (int)(hash & " + N(tableSize - 1) + "); ; slot = (slot + 1) & " + N(tableSize - 1) + ")",
                        "    {",
                        "        int entry = slots[slot];",
                        "        if (entry == 0)",
                        "            return UnknownTokenId;",
                        "        int start = offsets[entry - 1];",
                        "        ReadOnlySpan<char> candidate = chars.Slice(start, offsets[entry] - start);",
                        "        if (candidate.Length == token.Length && Matches(candidate, token))",
                        "            return entry - 1;",
                        "    }",
                        "}",
                        "",
                        "// Whether the normalized `token` equals the vocabulary entry `candidate`.",
                        "private static bool Matches(ReadOnlySpan<char> candidate, ReadOnlySpan<char> token)",
                        "{",
                        "    for (int k = 0; k < token.Length; k++)",
                        "    {",
                        "        if (Normalize(token[k]) != candidate[k])",
                        "            return false;",
                        "    }",
                        "",
                        "    return true;",
                        "}",
                        "",
                    };
                    foreach (string line in lines)
                    {
                        _w.Line(line);
                    }

                    // Data: characters, offsets, hash slots.
                    var chars = new StringBuilder();
                    var offsets = new int[text.Vocabulary.Count + 1];
                    for (int id = 0; id < text.Vocabulary.Count; id++)
                    {
                        offsets[id] = chars.Length;
                        chars.Append(text.Vocabulary[id]);
                    }

                    offsets[text.Vocabulary.Count] = chars.Length;
                    var slots = new int[tableSize];
                    for (int id = 0; id < text.Vocabulary.Count; id++)
                    {
                        int slot = (int)(Fnv1a(text.Vocabulary[id]) & (uint)(tableSize - 1));
                        while (slots[slot] != 0)
                        {
                            slot = (slot + 1) & (tableSize - 1);
                        }

                        slots[slot] = id + 1;
                    }

                    var charBytes = new byte[chars.Length * 2];
                    for (int i = 0; i < chars.Length; i++)
                    {
                        charBytes[2 * i] = (byte)chars[i];
                        charBytes[2 * i + 1] = (byte)(chars[i] >> 8);
                    }

                    WritePacked("VocabularyChars", "char", chars.Length, charBytes, "The vocabulary's tokens, concatenated (UTF-16).");
                    WritePacked("VocabularyOffsets", "int", offsets.Length, IntBytes(offsets), "Token id i spans VocabularyChars[offsets[i] … offsets[i + 1]).");
                    WritePacked("VocabularySlots", "int", slots.Length, IntBytes(slots), "The lookup table: id + 1 per slot, 0 for empty.");
                }

                private static byte[] IntBytes(int[] values)
                {
                    var bytes = new byte[values.Length * 4];
                    for (int i = 0; i < values.Length; i++)
                    {
                        uint v = unchecked((uint)values[i]);
                        bytes[4 * i] = (byte)v;
                        bytes[4 * i + 1] = (byte)(v >> 8);
                        bytes[4 * i + 2] = (byte)(v >> 16);
                        bytes[4 * i + 3] = (byte)(v >> 24);
                    }

                    return bytes;
                }

                private static byte[] FloatBytes(float[] values)
                {
                    var ints = new int[values.Length];
                    for (int i = 0; i < values.Length; i++)
                    {
                        ints[i] = BitConverter.ToInt32(BitConverter.GetBytes(values[i]), 0);
                    }

                    return IntBytes(ints);
                }

                // Static data: a ReadOnlySpan<ulong> over a constant array compiles to the assembly's read-only data (no allocation,
                // ever), two floats per literal; read through MemoryMarshal.Cast (8-byte aligned only, so every load is unaligned).
                // A guard (bytes of zeros on either side of the data, a multiple of 8) is for kernels whose aligned loads start up
                // to that many bytes before the data or end after it.
                private void WritePacked(string name, string type, int count, byte[] bytes, string doc, int guard = 0)
                {
                    _ct.ThrowIfCancellationRequested();
                    if (guard > 0)
                    {
                        var guarded = new byte[guard + bytes.Length + guard];
                        Array.Copy(bytes, 0, guarded, guard, bytes.Length);
                        bytes = guarded;
                    }

                    int words = Math.Max(1, (bytes.Length + 7) / 8);
                    int start = guard / ElementBytes(type);
                    _w.Line("// " + doc);
                    _w.Line("private static ReadOnlySpan<" + type + "> " + name + " => MemoryMarshal.Cast<ulong, " + type + ">(" + name + "Bits).Slice(" + N(start) + ", " + N(count) + ");");
                    _w.Line();
                    _w.Line("// " + N(count) + " × " + type + " as " + N(words) + " little-endian 64-bit words" +
                            (guard > 0 ? ", between two " + N(guard) + "-byte guards of zeros." : "."));
                    WriteWords(_w, name + "Bits", bytes, 0, bytes.Length);
                }

                // The size of one element of the packed types WritePacked emits.
                private static int ElementBytes(string type) => type switch
                {
                    "sbyte" => 1,
                    "char" => 2,
                    "int" or "float" => 4,
                    _ => throw new ArgumentException("no element size for " + type, nameof(type)),
                };

                // `private static ReadOnlySpan<ulong> name => new ulong[] { … }` over bytes[offset … offset + length), eight per literal.
                private void WriteWords(SourceWriter w, string name, byte[] bytes, int offset, int length)
                {
                    int words = Math.Max(1, (length + 7) / 8);
                    w.Line("private static ReadOnlySpan<ulong> " + name + " => new ulong[]");
                    w.Line("{");
                    StringBuilder raw = w.Raw;
                    string indent = new string(' ', w.IndentSpaces + 4);
                    for (int word = 0; word < words; word++)
                    {
                        if (word % 8 == 0)
                        {
                            if (word > 0)
                            {
                                raw.Append('\n');
                            }

                            raw.Append(indent);
                            _ct.ThrowIfCancellationRequested();
                        }
                        else
                        {
                            raw.Append(' ');
                        }

                        ulong value = 0;
                        for (int b = 7; b >= 0; b--)
                        {
                            int index = word * 8 + b;
                            value = (value << 8) | (index < length ? bytes[offset + index] : (byte)0);
                        }

                        raw.Append("0x").Append(value.ToString("X16", CultureInfo.InvariantCulture)).Append("UL,");
                    }

                    raw.Append('\n');
                    w.Line("};");
                    w.Line();
                }

                /// <summary>64-bit words above which the embedding table is split into parts, each in its own file.</summary>
                internal const int EmbeddingPartWords = 65536;

                // Rows of the embedding per part file, or 0 when the table is small enough for one literal array.
                private int EmbeddingRowsPerPart
                {
                    get
                    {
                        if (!_m.HasEmbedding)
                        {
                            return 0;
                        }

                        int rowBytes = _i * (_m.Tensor(TensorNames.EmbeddingWeight).IsInt8 ? 1 : 4);
                        long words = ((long)_m.VocabularySize * rowBytes + 7) / 8;
                        return words <= EmbeddingPartWords ? 0 : Math.Max(1, EmbeddingPartWords * 8 / rowBytes);
                    }
                }

                // A ref expression to the first element of embedding row `id` (a validated token id).
                private string EmbeddingRowRef(string id) => EmbeddingRowsPerPart == 0
                    ? "Unsafe.Add(ref MemoryMarshal.GetReference(Embedding), " + id + " * InputSize)"
                    : "Unsafe.Add(ref MemoryMarshal.GetReference(EmbeddingPart(" + id + " / EmbeddingRowsPerPart)), " + id + " % EmbeddingRowsPerPart * InputSize)";

                // The embedding table: one literal array, or — when large — parts of whole rows in files of their own, because
                // Roslyn parses and compiles files (and methods) in parallel; one array of 1.25 M literals compiles on one core.
                private void WriteEmbeddingTable(string type, int elementSize, byte[] bytes, string doc)
                {
                    int rowsPerPart = EmbeddingRowsPerPart;
                    if (rowsPerPart == 0)
                    {
                        WritePacked("Embedding", type, _m.VocabularySize * _i, bytes, doc);
                        return;
                    }

                    int parts = (_m.VocabularySize + rowsPerPart - 1) / rowsPerPart;
                    int rowBytes = _i * elementSize;
                    _w.Line("// " + doc);
                    _w.Line("// Stored in " + N(parts) + " parts of " + N(rowsPerPart) + " rows, each in a file of its own (" + SafeComment(_class.Name) + ".EmbeddingPart0.g.cs …):");
                    _w.Line("// Roslyn compiles files in parallel, which keeps the build of a large model short.");
                    _w.Line("private const int EmbeddingRowsPerPart = " + N(rowsPerPart) + ";");
                    _w.Line();
                    _w.Line("// The rows of one part: rows part · EmbeddingRowsPerPart … .");
                    _w.Open("private static ReadOnlySpan<" + type + "> EmbeddingPart(int part)");
                    _w.Line("switch (part)");
                    _w.Open();
                    for (int part = 0; part < parts; part++)
                    {
                        int rows = Math.Min(rowsPerPart, _m.VocabularySize - part * rowsPerPart);
                        _w.Line((part == parts - 1 ? "default" : "case " + N(part)) + ":");
                        _w.Line("    return MemoryMarshal.Cast<ulong, " + type + ">(EmbeddingBits" + N(part) + ").Slice(0, " + N(rows * _i) + ");");
                    }

                    _w.Close();
                    _w.Close();
                    _w.Line();
                    for (int part = 0; part < parts; part++)
                    {
                        int first = part * rowsPerPart;
                        int rows = Math.Min(rowsPerPart, _m.VocabularySize - first);
                        var w = new SourceWriter();
                        w.Line("// <auto-generated/>");
                        w.Line("// Generated by TinyGru.Generators from " + SafeComment(_class.ModelPath ?? "") + ": part " + N(part + 1) + " of " + N(parts) +
                               " of " + SafeComment(_class.Name) + "'s embedding table. Do not edit: change the model file instead.");
                        w.Line("#nullable enable");
                        w.Line();
                        w.Line("using System;");
                        w.Line();
                        if (_class.Namespace is not null)
                        {
                            w.Open("namespace " + _class.Namespace);
                        }

                        w.Open("partial class " + _class.Name);
                        w.Line("// Embedding rows " + N(first) + " … " + N(first + rows - 1) + " (" + N(rows * _i) + " × " + type + ").");
                        WriteWords(w, "EmbeddingBits" + N(part), bytes, first * rowBytes, rows * rowBytes);
                        w.Close();
                        if (_class.Namespace is not null)
                        {
                            w.Close();
                        }

                        Parts.Add(w.ToString());
                    }
                }

                private void WriteWeights()
                {
                    for (int layer = 0; layer < _l; layer++)
                    {
                        for (int dir = 0; dir < _d; dir++)
                        {
                            bool reverse = dir == 1;
                            string s = Suffix(layer, dir);
                            int k = K(layer);
                            float[] bih = _m.Values(TensorNames.BiasIh(layer, reverse));
                            float[] bhh = _m.Values(TensorNames.BiasHh(layer, reverse));
                            string where = "layer " + N(layer) + (reverse ? " reverse" : "");
                            if (_quantized)
                            {
                                WriteInt8Matrix("Wx" + s, "Sx" + s, _m.Tensor(TensorNames.WeightIh(layer, reverse)), k, "W_ih of " + where, "[3H, " + N(k) + "]");
                                WriteInt8Matrix("Wh" + s, "Sh" + s, _m.Tensor(TensorNames.WeightHh(layer, reverse)), _h, "W_hh of " + where, "[3H, H]");
                            }
                            else
                            {
                                float[] wih = _m.Values(TensorNames.WeightIh(layer, reverse));
                                float[] whh = _m.Values(TensorNames.WeightHh(layer, reverse));
                                WritePacked("Wx" + s, "float", _r * k, FloatBytes(Panels(wih, k)),
                                    "W_ih of " + where + " (" + TensorNames.WeightIh(layer, reverse) + "), [3H, " + N(k) + "] in " + N(_r / 8) + " panels of 8 gate rows × " + N(k) + " columns, column-major inside a panel; padding rows are zero.");
                                WritePacked("Wh" + s, "float", _r * _h, FloatBytes(Panels(whh, _h)),
                                    "W_hh of " + where + " (" + TensorNames.WeightHh(layer, reverse) + "), [3H, H] in the same panel layout.");
                            }

                            float[] bx = new float[bih.Length];
                            for (int i = 0; i < bx.Length; i++)
                            {
                                bx[i] = _cho ? bih[i] + bhh[i] : bih[i];
                            }

                            WritePacked("Bx" + s, "float", _r, FloatBytes(PadGates(bx)),
                                _cho ? "b_ih + b_hh of " + where + ", per padded gate row (Cho's single bias)." : "b_ih of " + where + ", per padded gate row.");
                            if (!_cho)
                            {
                                WritePacked("Bh" + s, "float", _r, FloatBytes(PadGates(bhh)), "b_hh of " + where + ", per padded gate row.");
                            }
                        }
                    }

                    if (_m.HasEmbedding)
                    {
                        TinyGru.Generators.Model.TensorSpec embedding = _m.Tensor(TensorNames.EmbeddingWeight);
                        if (embedding.IsInt8)
                        {
                            WriteEmbeddingTable("sbyte", 1, SByteBytes(embedding.Quantized.AsSpan().ToArray()),
                                "The int8 embedding table [" + N(_m.VocabularySize) + ", " + N(_i) + "], row-major, eight values per 64-bit literal; row t is q · EmbeddingScales[t].");
                            WritePacked("EmbeddingScales", "float", _m.VocabularySize, FloatBytes(embedding.RowScales.AsSpan().ToArray()), "The embedding's row scales [" + N(_m.VocabularySize) + "].");
                        }
                        else
                        {
                            WriteEmbeddingTable("float", 4, FloatBytes(_m.Values(TensorNames.EmbeddingWeight)),
                                "The embedding table [" + N(_m.VocabularySize) + ", " + N(_i) + "], row-major.");
                        }
                    }

                    if (_m.HeadOutputs > 0)
                    {
                        WritePacked("HeadWeight", "float", _m.HeadOutputs * _dh, FloatBytes(_m.Values(TensorNames.HeadWeight)),
                            "Head weights [" + N(_m.HeadOutputs) + ", " + N(_dh) + "], row-major" + (_quantized ? " (dequantized: one row per output is not worth integer code)." : "."));
                        WritePacked("HeadBias", "float", _m.HeadOutputs, FloatBytes(_m.Values(TensorNames.HeadBias)), "Head bias [" + N(_m.HeadOutputs) + "].");
                    }
                }

                // An int8 GRU matrix: its values in the layout of the model's kernels, and its row scales per padded gate row.
                private void WriteInt8Matrix(string name, string scalesName, TinyGru.Generators.Model.TensorSpec tensor, int k, string what, string shape)
                {
                    sbyte[] q = tensor.Quantized.AsSpan().ToArray();
                    if (_w8a8)
                    {
                        int k4 = Pad4(k);
                        string order = IsInterleaved(k4)
                            ? "interleaved (Int8Layout): the panels in blocks of 8 (the last of each kernel's range smaller), inside a block column group by column group, the block's panels' 32 bytes side by side"
                            : "inside a panel, its column groups one after another";
                        WritePacked(name, "sbyte", _r * k4, SByteBytes(QuadPanels(q, name.Substring(0, 2), name.Substring(2), k, k4)),
                            what + " (" + tensor.Name + "), int8 " + shape + " in " + N(_r / 8) + " panels of 8 gate rows × " + N(k4) + " columns (padded to a multiple of 4), in column groups of 4 columns × 8 rows (32 bytes, row-major); " + order + "; eight values per 64-bit literal; padding is zero. The AVX-VNNI kernel's aligned loads reach up to 28 bytes past either end, into the guards.",
                            guard: 32);
                        WritePacked("C" + name.Substring(1), "int", _r, IntBytes(UnsignedCorrections(q, k)),
                            "AVX-VNNI correction of " + tensor.Name + " per padded gate row: −128 · Σ_k q[row, k]. vpdpbusd multiplies unsigned bytes, so the kernel feeds x + 128 and starts each row's sum here: Σ (x + 128) · w − 128 · Σ w = Σ x · w.");
                    }
                    else
                    {
                        WritePacked(name, "sbyte", _r * k, SByteBytes(PanelsInt8(q, k)),
                            what + " (" + tensor.Name + "), int8 " + shape + " in " + N(_r / 8) + " panels of 8 gate rows × " + N(k) + " columns, column-major inside a panel (8 bytes per column), eight values per 64-bit literal; padding rows are zero.");
                    }

                    WritePacked(scalesName, "float", _r, FloatBytes(PadGates(tensor.RowScales.AsSpan().ToArray())), "Row scales of " + tensor.Name + " per padded gate row: weight = q · scale.");
                }

                private static int Pad4(int k) => (k + 3) / 4 * 4;

                // −128 · (sum of row j's int8 weights) for every padded gate row (zero for padding rows).
                private int[] UnsignedCorrections(sbyte[] matrix, int k)
                {
                    var corrections = new int[_r];
                    for (int g = 0; g < 3; g++)
                    {
                        for (int j = 0; j < _h; j++)
                        {
                            int sum = 0;
                            for (int c = 0; c < k; c++)
                            {
                                sum += matrix[(g * _h + j) * k + c];
                            }

                            corrections[g * _hp + j] = -128 * sum;
                        }
                    }

                    return corrections;
                }

                private static byte[] SByteBytes(sbyte[] values)
                {
                    var bytes = new byte[values.Length];
                    Buffer.BlockCopy(values, 0, bytes, 0, values.Length);
                    return bytes;
                }

                // [3H, k] row-major int8 → the float panel layout (8 padded rows, column-major inside a panel), one byte per value.
                private sbyte[] PanelsInt8(sbyte[] matrix, int k)
                {
                    var panels = new sbyte[_r * k];
                    for (int g = 0; g < 3; g++)
                    {
                        for (int j = 0; j < _h; j++)
                        {
                            int row = g * _hp + j;
                            for (int c = 0; c < k; c++)
                            {
                                panels[row / 8 * k * 8 + c * 8 + row % 8] = matrix[(g * _h + j) * k + c];
                            }
                        }
                    }

                    return panels;
                }

                // [3H, k] row-major int8 → w8a8 panels: panel p's column group c/4 at QuadOffset (the panel or the interleaved layout),
                // inside it row lane, column c%4 at lane·4 + c%4.
                private sbyte[] QuadPanels(sbyte[] matrix, string kind, string suffix, int k, int k4)
                {
                    var panels = new sbyte[_r * k4];
                    var offsets = new int[_r / 8 * (k4 / 4)]; // QuadOffset once per panel and column group, not per weight
                    for (int p = 0; p < _r / 8; p++)
                    {
                        for (int group = 0; group < k4 / 4; group++)
                        {
                            offsets[p * (k4 / 4) + group] = QuadOffset(kind, suffix, k4, p, group);
                        }
                    }

                    for (int g = 0; g < 3; g++)
                    {
                        for (int j = 0; j < _h; j++)
                        {
                            int row = g * _hp + j;
                            for (int c = 0; c < k; c++)
                            {
                                panels[offsets[row / 8 * (k4 / 4) + c / 4] + row % 8 * 4 + c % 4] = matrix[(g * _h + j) * k + c];
                            }
                        }
                    }

                    return panels;
                }

                // Gate g's H values move to rows g·Hp … g·Hp + H − 1; padding rows are zero.
                private float[] PadGates(float[] values)
                {
                    var padded = new float[_r];
                    for (int g = 0; g < 3; g++)
                    {
                        Array.Copy(values, g * _h, padded, g * _hp, _h);
                    }

                    return padded;
                }

                // [3H, k] row-major → panels of 8 padded rows; inside a panel, column c holds the 8 rows' weights contiguously.
                private float[] Panels(float[] matrix, int k)
                {
                    var panels = new float[_r * k];
                    for (int g = 0; g < 3; g++)
                    {
                        for (int j = 0; j < _h; j++)
                        {
                            int row = g * _hp + j;
                            int panel = row / 8;
                            int lane = row % 8;
                            for (int c = 0; c < k; c++)
                            {
                                panels[panel * k * 8 + c * 8 + lane] = matrix[(g * _h + j) * k + c];
                            }
                        }
                    }

                    return panels;
                }
            }
        }
    }
}
