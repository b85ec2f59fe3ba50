using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TinyGru.Model.Json
{
    /// <summary>Thrown when text is not well-formed JSON; carries the 1-based line and column of the fault.</summary>
    public sealed class JsonSyntaxException : System.Exception
    {
        /// <summary>Creates the exception.</summary>
        public JsonSyntaxException(string problem, int line, int column)
            : base($"line {line}, column {column}: {problem}")
        {
            Problem = problem;
            Line = line;
            Column = column;
        }

        /// <summary>What is wrong, without the position.</summary>
        public string Problem { get; }

        /// <summary>1-based line of the fault.</summary>
        public int Line { get; }

        /// <summary>1-based column of the fault.</summary>
        public int Column { get; }
    }

    /// <summary>
    /// A strict RFC 8259 JSON parser that records where every value starts. Duplicate object keys are an
    /// error (a model file with two "hiddenSize" fields is ambiguous, not "last one wins").
    /// </summary>
    public sealed class JsonParser
    {
        private const int MaxDepth = 64;
        private readonly string _text;
        private int _position;
        private int _line = 1;
        private int _lineStart;

        private JsonParser(string text)
        {
            _text = text;
        }

        /// <summary>Parses one JSON document; throws <see cref="JsonSyntaxException"/> on malformed text.</summary>
        public static JsonNode Parse(string text)
        {
            var parser = new JsonParser(text);
            parser.SkipWhitespace();
            JsonNode root = parser.ParseValue(0);
            parser.SkipWhitespace();
            if (parser._position != text.Length)
            {
                throw parser.Error("unexpected text after the end of the JSON document");
            }

            return root;
        }

        private int Column => _position - _lineStart + 1;

        private JsonSyntaxException Error(string problem) => new JsonSyntaxException(problem, _line, Column);

        private JsonNode ParseValue(int depth)
        {
            if (depth > MaxDepth)
            {
                throw Error($"nesting deeper than {MaxDepth} levels");
            }

            if (_position >= _text.Length)
            {
                throw Error("unexpected end of file: a value was expected");
            }

            int line = _line, column = Column;
            char c = _text[_position];
            switch (c)
            {
                case '{':
                    return ParseObject(line, column, depth);
                case '[':
                    return ParseArray(line, column, depth);
                case '"':
                    return JsonNode.String(line, column, ParseString());
                case 't':
                    ExpectLiteral("true");
                    return JsonNode.Bool(line, column, true);
                case 'f':
                    ExpectLiteral("false");
                    return JsonNode.Bool(line, column, false);
                case 'n':
                    ExpectLiteral("null");
                    return JsonNode.Null(line, column);
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return JsonNode.Number(line, column, ParseNumber());
                    }

                    throw Error($"unexpected character '{Printable(c)}': a value was expected");
            }
        }

        private JsonNode ParseObject(int line, int column, int depth)
        {
            _position++; // '{'
            var members = new List<KeyValuePair<string, JsonNode>>();
            var seen = new HashSet<string>();
            SkipWhitespace();
            if (Peek() == '}')
            {
                _position++;
                return JsonNode.Object(line, column, members);
            }

            while (true)
            {
                SkipWhitespace();
                if (Peek() != '"')
                {
                    throw Error("an object member name in double quotes was expected");
                }

                int keyLine = _line, keyColumn = Column;
                string key = ParseString();
                if (!seen.Add(key))
                {
                    throw new JsonSyntaxException($"duplicate member \"{key}\"", keyLine, keyColumn);
                }

                SkipWhitespace();
                Expect(':');
                SkipWhitespace();
                members.Add(new KeyValuePair<string, JsonNode>(key, ParseValue(depth + 1)));
                SkipWhitespace();
                char next = Peek();
                if (next == ',')
                {
                    _position++;
                    continue;
                }

                if (next == '}')
                {
                    _position++;
                    return JsonNode.Object(line, column, members);
                }

                throw Error("',' or '}' was expected after an object member");
            }
        }

        private JsonNode ParseArray(int line, int column, int depth)
        {
            _position++; // '['
            var items = new List<JsonNode>();
            SkipWhitespace();
            if (Peek() == ']')
            {
                _position++;
                return JsonNode.Array(line, column, items);
            }

            while (true)
            {
                SkipWhitespace();
                items.Add(ParseValue(depth + 1));
                SkipWhitespace();
                char next = Peek();
                if (next == ',')
                {
                    _position++;
                    continue;
                }

                if (next == ']')
                {
                    _position++;
                    return JsonNode.Array(line, column, items);
                }

                throw Error("',' or ']' was expected after an array item");
            }
        }

        private string ParseString()
        {
            _position++; // opening quote
            int start = _position;

            // Fast path: no escapes (base64 payloads, names).
            while (_position < _text.Length)
            {
                char c = _text[_position];
                if (c == '"')
                {
                    string plain = _text.Substring(start, _position - start);
                    _position++;
                    return plain;
                }

                if (c == '\\')
                {
                    break;
                }

                if (c < ' ')
                {
                    throw Error("control character inside a string (strings may not span lines)");
                }

                _position++;
            }

            var builder = new StringBuilder(_text, start, _position - start, _position - start + 16);
            while (_position < _text.Length)
            {
                char c = _text[_position];
                if (c == '"')
                {
                    _position++;
                    return builder.ToString();
                }

                if (c < ' ')
                {
                    throw Error("control character inside a string (strings may not span lines)");
                }

                if (c != '\\')
                {
                    builder.Append(c);
                    _position++;
                    continue;
                }

                _position++;
                if (_position >= _text.Length)
                {
                    break;
                }

                char escape = _text[_position++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case '/': builder.Append('/'); break;
                    case 'b': builder.Append('\b'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'r': builder.Append('\r'); break;
                    case 't': builder.Append('\t'); break;
                    case 'u':
                        if (_position + 4 > _text.Length ||
                            !ushort.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                        {
                            throw Error("\\u must be followed by four hexadecimal digits");
                        }

                        builder.Append((char)code);
                        _position += 4;
                        break;
                    default:
                        _position--;
                        throw Error($"unknown escape sequence '\\{Printable(escape)}'");
                }
            }

            throw Error("unexpected end of file inside a string");
        }

        private string ParseNumber()
        {
            int start = _position;
            if (Peek() == '-')
            {
                _position++;
            }

            if (Peek() == '0')
            {
                _position++;
            }
            else if (IsDigit(Peek()))
            {
                SkipDigits();
            }
            else
            {
                throw Error("a digit was expected in a number");
            }

            if (Peek() == '.')
            {
                _position++;
                if (!IsDigit(Peek()))
                {
                    throw Error("a digit was expected after the decimal point");
                }

                SkipDigits();
            }

            if (Peek() == 'e' || Peek() == 'E')
            {
                _position++;
                if (Peek() == '+' || Peek() == '-')
                {
                    _position++;
                }

                if (!IsDigit(Peek()))
                {
                    throw Error("a digit was expected in the exponent");
                }

                SkipDigits();
            }

            return _text.Substring(start, _position - start);
        }

        private void SkipDigits()
        {
            while (IsDigit(Peek()))
            {
                _position++;
            }
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';

        private char Peek() => _position < _text.Length ? _text[_position] : '\0';

        private void Expect(char expected)
        {
            if (Peek() != expected)
            {
                throw Error($"'{expected}' was expected");
            }

            _position++;
        }

        private void ExpectLiteral(string literal)
        {
            if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
            {
                throw Error($"unexpected text: '{literal}' or another value was expected");
            }

            _position += literal.Length;
        }

        private void SkipWhitespace()
        {
            while (_position < _text.Length)
            {
                char c = _text[_position];
                if (c == '\n')
                {
                    _line++;
                    _lineStart = _position + 1;
                }
                else if (c != ' ' && c != '\t' && c != '\r' && c != '\uFEFF')
                {
                    return;
                }

                _position++;
            }
        }

        private static string Printable(char c) => c < ' ' ? $"\\u{(int)c:X4}" : c.ToString();
    }
}
