using System;
using System.IO;
using System.Text;

namespace TinyGru.Model.Format
{
    /// <summary>
    /// Writes a file so that readers only ever see the old content or the complete new content: the text
    /// goes to a temporary file beside the target, is flushed to disk, and then renamed over the target.
    /// A crash or exception at any moment leaves the target untouched and no temporary file behind.
    /// </summary>
    public static class AtomicFile
    {
        /// <summary>Writes UTF-8 text (no byte order mark) produced by <paramref name="write"/> to <paramref name="path"/> atomically.</summary>
        public static void WriteText(string path, Action<TextWriter> write)
        {
            WriteBytes(path, stream =>
            {
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
                {
                    write(writer);
                }
            });
        }

        /// <summary>Writes the bytes <paramref name="write"/> puts into the stream to <paramref name="path"/> atomically.</summary>
        public static void WriteBytes(string path, Action<Stream> write)
        {
            string fullPath = Path.GetFullPath(path);
            string directory = Path.GetDirectoryName(fullPath) ?? ".";
            Directory.CreateDirectory(directory);
            string temporary = Path.Combine(directory, "." + Path.GetFileName(fullPath) + ".tmp-" + Guid.NewGuid().ToString("N"));
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
                {
                    write(stream);
                    stream.Flush(flushToDisk: true);
                }

                if (File.Exists(fullPath))
                {
                    File.Replace(temporary, fullPath, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(temporary, fullPath);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }
    }
}
