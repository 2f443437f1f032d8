using System.Globalization;

namespace DevRank.AtomicStore;

/// <summary>
/// A torn tail of a JSON Lines file: a final line without a terminating <c>'\n'</c> that is not one whole JSON value,
/// which is what a crash in the middle of an append leaves. It was never acknowledged (an append returns only once its
/// whole line is written), so reads and loads skip it instead of failing, and the next append cuts it off.
/// </summary>
/// <remarks>
/// A store reports it through <see cref="JsonLinesFileStore{T, TItem}.TornTail"/> and
/// <see cref="JsonLinesFileStore{T, TItem}.FindTornTail(string)"/>. Only this final, unterminated, unparseable line is
/// ever skipped or cut: a bad line anywhere else, or a bad last line that ends with <c>'\n'</c>, is a
/// <see cref="StoreCorruptException"/>.
/// </remarks>
public sealed class JsonLinesTail
{
    internal JsonLinesTail(string filePath, long offset, long length, bool truncated)
    {
        FilePath = filePath;
        Offset = offset;
        Length = length;
        Truncated = truncated;
    }

    /// <summary>The full path of the file (after symbolic links, for an append).</summary>
    public string FilePath { get; }

    /// <summary>Where the torn line starts: the byte offset just after the file's last <c>'\n'</c> (0 when it has none).</summary>
    public long Offset { get; }

    /// <summary>How many bytes the torn line has: from <see cref="Offset"/> to the end of the file.</summary>
    public long Length { get; }

    /// <summary>
    /// True when an append has cut the bytes off (durably, at <see cref="Durability.Durable"/>): the file now ends at
    /// <see cref="Offset"/>. False when a read or load skipped them: they are still in the file.
    /// </summary>
    public bool Truncated { get; }

    /// <summary>Says where the tail is and what was done with it, for logs.</summary>
    /// <returns>A sentence naming the file, the offset and the length.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"torn tail of '{FilePath}': {Length} bytes at offset {Offset}, {(Truncated ? "cut off" : "skipped, still in the file")}");
}
