using System;
using System.IO;
using System.Text;

namespace TinyGru.Samples.Sentiment;

/// <summary>
/// Reads UTF-8 text lines from a stream into one reusable char buffer, so reading a review allocates nothing
/// (<see cref="TextReader.ReadLine"/> allocates a string per line). The buffer grows (doubling) only when a line is
/// longer than any line before it; 64 Ki chars hold every IMDb review.
/// </summary>
public sealed class LineReader
{
    private const int MinFreeChars = 4096;
    private readonly Stream _stream;
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetDecoder();
    private readonly byte[] _bytes;
    private char[] _chars;
    private int _byteStart, _byteEnd; // undecoded bytes
    private int _start, _end;         // decoded chars not yet returned
    private bool _endOfStream;

    /// <summary>Reads from <paramref name="stream"/>.</summary>
    /// <param name="stream">UTF-8 text, lines ending in \n or \r\n.</param>
    /// <param name="initialChars">The initial char buffer size.</param>
    public LineReader(Stream stream, int initialChars = 64 * 1024)
    {
        _stream = stream ?? throw new ArgumentNullException(nameof(stream));
        _bytes = new byte[16 * 1024];
        _chars = new char[Math.Max(initialChars, 2 * MinFreeChars)];
    }

    /// <summary>How many times the char buffer had to grow (each growth allocates).</summary>
    public int Growths { get; private set; }

    /// <summary>
    /// Reads the first block of the stream now, if nothing is buffered yet, so that one-time costs of a stream's first
    /// read fall into start-up rather than onto the first review.
    /// </summary>
    public void ReadAhead()
    {
        if (_start == _end && !_endOfStream)
        {
            Fill();
        }
    }

    /// <summary>
    /// The next line without its line ending; valid until the next call. False at the end of the stream
    /// (a last line without a line ending is still returned).
    /// </summary>
    public bool TryReadLine(out ReadOnlySpan<char> line)
    {
        int scanFrom = _start;
        while (true)
        {
            int newline = _chars.AsSpan(scanFrom, _end - scanFrom).IndexOf('\n');
            if (newline >= 0)
            {
                int at = scanFrom + newline;
                line = WithoutCarriageReturn(_chars.AsSpan(_start, at - _start));
                _start = at + 1;
                return true;
            }

            scanFrom = _end;
            if (_endOfStream)
            {
                line = WithoutCarriageReturn(_chars.AsSpan(_start, _end - _start));
                bool any = _end > _start;
                _start = _end;
                return any;
            }

            if (_start > 0)
            {
                // Move the partial line to the front of the buffer.
                _chars.AsSpan(_start, _end - _start).CopyTo(_chars);
                scanFrom -= _start;
                _end -= _start;
                _start = 0;
            }

            if (_chars.Length - _end < MinFreeChars)
            {
                Array.Resize(ref _chars, _chars.Length * 2);
                Growths++;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_byteStart == _byteEnd)
        {
            int read = _stream.Read(_bytes, 0, _bytes.Length);
            if (read == 0)
            {
                _decoder.Convert(_bytes, 0, 0, _chars, _end, _chars.Length - _end, flush: true, out _, out int tail, out _);
                _end += tail;
                _endOfStream = true;
                return;
            }

            _byteStart = 0;
            _byteEnd = read;
        }

        _decoder.Convert(_bytes, _byteStart, _byteEnd - _byteStart, _chars, _end, _chars.Length - _end, flush: false,
            out int bytesUsed, out int charsUsed, out _);
        _byteStart += bytesUsed;
        _end += charsUsed;
    }

    private static ReadOnlySpan<char> WithoutCarriageReturn(ReadOnlySpan<char> line) =>
        line.Length > 0 && line[^1] == '\r' ? line[..^1] : line;
}
