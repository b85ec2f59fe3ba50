using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace TinyGru.Training.Data;

/// <summary>
/// Reads labelled text from TSV (<c>label&lt;TAB&gt;text</c>, one per line) or CSV (<c>label,text</c>, RFC 4180
/// quoting, quoted fields may span lines) files, optionally gzip-compressed (<c>.gz</c>). A first row
/// <c>label,text</c> / <c>label&lt;TAB&gt;text</c> is a header and skipped. Bad rows fail with <c>file:line</c>
/// or, when asked, are skipped and counted.
/// </summary>
public static class DelimitedTextLoader
{
    /// <summary>Reads <paramref name="path"/>; the format follows the extension (<c>.csv</c>, else TSV), ignoring a final <c>.gz</c>.</summary>
    /// <exception cref="DataFormatException">A row is bad and <see cref="DataLoadOptions.SkipBadRows"/> is off.</exception>
    public static LoadResult Load(string path, DataLoadOptions? options = null)
    {
        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        string inner = gzip ? path[..^3] : path;
        bool csv = inner.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        using Stream file = File.OpenRead(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: false));
        string name = Path.GetFileName(path);
        return csv ? ReadCsv(reader, name, options ?? new DataLoadOptions()) : ReadTsv(reader, name, options ?? new DataLoadOptions());
    }

    /// <summary>Reads TSV rows from <paramref name="reader"/>; <paramref name="name"/> prefixes locations.</summary>
    public static LoadResult ReadTsv(TextReader reader, string name, DataLoadOptions options)
    {
        var collector = new LoadCollector(options);
        int lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            string location = name + ":" + lineNumber;
            if (line.Length == 0)
            {
                collector.Bad(location, "empty line");
                continue;
            }

            int tab = line.IndexOf('\t');
            if (tab < 0)
            {
                collector.Bad(location, "no TAB between label and text");
                continue;
            }

            string label = line[..tab], text = line[(tab + 1)..];
            if (lineNumber == 1 && IsHeader(label, text))
            {
                continue;
            }

            Add(collector, location, label, text);
        }

        return collector.Result();
    }

    /// <summary>Reads CSV records from <paramref name="reader"/>; <paramref name="name"/> prefixes locations (the record's first line).</summary>
    public static LoadResult ReadCsv(TextReader reader, string name, DataLoadOptions options)
    {
        var collector = new LoadCollector(options);
        int lineNumber = 0;
        bool first = true;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            int startLine = lineNumber;
            string location = name + ":" + startLine;
            if (line.Length == 0)
            {
                collector.Bad(location, "empty line");
                continue;
            }

            var fields = new List<string>();
            var field = new StringBuilder();
            int i = 0;
            bool quoted = false, fieldStart = true, broken = false;
            while (true)
            {
                if (i >= line.Length)
                {
                    if (quoted)
                    {
                        string? next = reader.ReadLine();
                        if (next is null)
                        {
                            collector.Bad(location, "a quoted field is not closed before the end of the file");
                            broken = true;
                            break;
                        }

                        lineNumber++;
                        field.Append('\n');
                        line = next;
                        i = 0;
                        continue;
                    }

                    fields.Add(field.ToString());
                    break;
                }

                char c = line[i];
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            field.Append('"');
                            i += 2;
                            continue;
                        }

                        quoted = false;
                        i++;
                        if (i < line.Length && line[i] != ',')
                        {
                            collector.Bad(location, $"unexpected character '{line[i]}' after a closing quote");
                            broken = true;
                            break;
                        }

                        continue;
                    }

                    field.Append(c);
                    i++;
                }
                else if (c == '"' && fieldStart)
                {
                    quoted = true;
                    fieldStart = false;
                    i++;
                }
                else if (c == ',')
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStart = true;
                    i++;
                }
                else
                {
                    field.Append(c);
                    fieldStart = false;
                    i++;
                }
            }

            if (broken)
            {
                continue;
            }

            if (fields.Count != 2)
            {
                collector.Bad(location, $"{fields.Count} fields; expected 2 (label,text) — quote text that contains commas");
                continue;
            }

            if (first && IsHeader(fields[0], fields[1]))
            {
                first = false;
                continue;
            }

            first = false;
            Add(collector, location, fields[0], fields[1]);
        }

        return collector.Result();
    }

    private static bool IsHeader(string label, string text) =>
        label.Trim().Equals("label", StringComparison.OrdinalIgnoreCase)
        && (text.Trim().Equals("text", StringComparison.OrdinalIgnoreCase) || text.Trim().Equals("review", StringComparison.OrdinalIgnoreCase));

    private static void Add(LoadCollector collector, string location, string label, string text)
    {
        if (!Labels.TryParse(label, out int value))
        {
            collector.Bad(location, Labels.Problem(label));
            return;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            collector.Bad(location, "the text is empty");
            return;
        }

        collector.Add(new LabeledText(text, value, location));
    }
}
