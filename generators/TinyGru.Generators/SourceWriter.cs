using System.Text;

namespace TinyGru.Generators
{
    /// <summary>Indented source text with <c>\n</c> line ends, so output is identical on every OS.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringBuilder _text = new StringBuilder(1 << 16);
        private int _indent;

        /// <summary>Writes one line at the current indentation (empty lines carry no spaces).</summary>
        public SourceWriter Line(string line = "")
        {
            if (line.Length > 0)
            {
                _text.Append(' ', _indent * 4);
                _text.Append(line);
            }

            _text.Append('\n');
            return this;
        }

        /// <summary>Writes <c>{</c> and indents.</summary>
        public SourceWriter Open(string? header = null)
        {
            if (header is not null)
            {
                Line(header);
            }

            Line("{");
            _indent++;
            return this;
        }

        /// <summary>Unindents and writes <c>}</c> (plus <paramref name="suffix"/>).</summary>
        public SourceWriter Close(string suffix = "")
        {
            _indent--;
            Line("}" + suffix);
            return this;
        }

        /// <summary>Appends raw text without indentation (for big data blocks).</summary>
        public StringBuilder Raw => _text;

        /// <summary>The current indentation in spaces.</summary>
        public int IndentSpaces => _indent * 4;

        /// <inheritdoc/>
        public override string ToString() => _text.ToString();
    }
}
