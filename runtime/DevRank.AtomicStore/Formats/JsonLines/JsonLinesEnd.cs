using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// How a JSON Lines file ends, read from the end: only the last line is ever read, so an append to a large file reads
/// one byte in the common case (a final <c>'\n'</c>), and at most its last line otherwise.
/// </summary>
internal static class JsonLinesEnd
{
    private const int Window = 64 * 1024;

    public enum Kind
    {
        /// <summary>No bytes at all.</summary>
        Empty,

        /// <summary>The last byte is <c>'\n'</c>.</summary>
        Terminated,

        /// <summary>A last line without <c>'\n'</c> that is one whole JSON value: a record (DevIndex's files end so).</summary>
        Record,

        /// <summary>A last line without <c>'\n'</c> of whitespace only.</summary>
        Blank,

        /// <summary>A last line without <c>'\n'</c> that is not one whole JSON value: a crash cut an append short.</summary>
        Torn,
    }

    /// <summary>What the file of <paramref name="length"/> bytes ends with, and where its last line starts.</summary>
    /// <exception cref="IOException">Reading failed, or the file became shorter meanwhile.</exception>
    public static Kind Inspect(SafeFileHandle handle, long length, JsonSerializerOptions options, out long lineStart)
    {
        lineStart = length;
        if (length == 0)
        {
            return Kind.Empty;
        }

        Span<byte> last = stackalloc byte[1];
        ReadExactly(handle, last, length - 1);
        if (last[0] == JsonLine.NewLine)
        {
            return Kind.Terminated;
        }

        // A window that ends at the end of the file, doubled until it holds a '\n' or the whole file: memory follows
        // the length of the last line, never the file's.
        int window = (int)Math.Min(length, Window);
        while (true)
        {
            byte[] buffer = StoreFileReader.Rent(window);
            try
            {
                Span<byte> bytes = buffer.AsSpan(0, window);
                ReadExactly(handle, bytes, length - window);
                int newline = bytes.LastIndexOf(JsonLine.NewLine);
                if (newline >= 0 || window == length)
                {
                    ReadOnlySpan<byte> line = bytes[(newline + 1)..];
                    lineStart = length - line.Length;
                    line = JsonLine.WithoutBom(line, lineStart);
                    return JsonLine.IsBlank(line) ? Kind.Blank : JsonLine.IsTorn(line, options) ? Kind.Torn : Kind.Record;
                }
            }
            finally
            {
                StoreFileReader.Return(buffer);
            }

            int larger = (int)Math.Min(Math.Min(length, Array.MaxLength), (long)window * 2);
            window = larger > window ? larger : throw new IOException($"the last line of the file is longer than {Array.MaxLength} bytes, more than one buffer can hold");
        }
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            int read = RandomAccess.Read(handle, buffer, offset);
            if (read == 0)
            {
                // Only a cut of a torn tail shortens a store file, under the lock: a reader without it can meet one.
                throw new IOException("the file became shorter while its end was being read (an append cut a torn tail off meanwhile?); read it again");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
