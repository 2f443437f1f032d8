using System.Text.Json;
using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>
/// One group of appends to a JSON Lines file, run by whoever holds the store's lock: open the file under the lock, cut
/// a torn tail off durably, write each append's lines (one write each), one checked fsync for the whole group, and the
/// folder's fsync when the file is new. A failure takes the group's bytes back off the file.
/// </summary>
internal static class JsonLinesAppend
{
    /// <summary>Appends <paramref name="group"/>; returns the torn tail it cut off, if any. The caller holds the store's lock.</summary>
    /// <exception cref="AtomicWriteException">Nothing of the group was appended (see the message for the rare case where that is not known).</exception>
    /// <exception cref="DurabilityUnknownException">The lines are in a new file whose folder could not be flushed.</exception>
    public static JsonLinesTail? Write(string path, IReadOnlyList<JsonLineBuffer> group, bool finalNewline, Durability durability, JsonSerializerOptions options)
    {
        bool durable = durability == Durability.Durable;
        using AppendFile file = Open(path);
        (JsonLinesTail? cut, bool separate) = PrepareEnd(file, durable, options);

        long start = file.Length;
        int flushError = 0;
        try
        {
            foreach (JsonLineBuffer lines in group)
            {
                // A '\n' before the lines when the file ends inside a line (a last record without one, or a previous
                // append of a store without final newlines); one after them when this store ends records so.
                file.Write(lines.Lines(separate, finalNewline));
                separate = !finalNewline;
            }

            flushError = durable ? file.Flush() : 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw TakeBack(file, start, AtomicWriteStage.Write, $"writing the lines failed: {ex.Message}{CutFirst(cut)};", ex, Errno(ex));
        }

        if (flushError != 0)
        {
            throw TakeBack(file, start, AtomicWriteStage.FlushToDisk, $"flushing the file to disk (fsync) failed: {DurableIO.Describe(flushError)}{CutFirst(cut)};", null, flushError);
        }

        string folder = System.IO.Path.GetDirectoryName(file.Path)!;
        if (durable && file.Created && DurableIO.FlushDirectory(folder) is var folderErrno and not 0)
        {
            throw new DurabilityUnknownException(file.Path, DurableIO.Describe(folderErrno), folderErrno);
        }

        if (durable)
        {
            try
            {
                // Another thread may have just created the folder and not yet flushed it into its parent (see Write in FileStore).
                DurableFolders.AwaitCreations(folder);
            }
            catch (FolderException ex)
            {
                throw new DurabilityUnknownException(file.Path, ex.Message, ex.NativeErrorCode);
            }
        }

        return cut;
    }

    private static AppendFile Open(string path)
    {
        try
        {
            return AppendFile.Open(path);
        }
        catch (Exception ex) when (ex is IOException { HResult: Posix.NotRegular or Libc.EISDIR } || (ex is UnauthorizedAccessException && OperatingSystem.IsWindows() && Directory.Exists(path)))
        {
            string problem = Directory.Exists(path) ? "is a folder, not a file" : "is not a regular file (a FIFO, socket or device is in its place)";
            throw new AtomicWriteException(Path.GetFullPath(path), AtomicWriteStage.Write, $"the store file {problem}; it was not opened and nothing was appended.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AtomicWriteException(Path.GetFullPath(path), AtomicWriteStage.Write, $"opening the file to append to it failed: {ex.Message}", ex, Errno(ex));
        }
    }

    /// <summary>
    /// Looks at the end of the file: a torn tail is cut off, and flushed before anything is written after it; the
    /// answer says whether the file ends inside a line (a last record or blank line without its '\n').
    /// </summary>
    private static (JsonLinesTail? Cut, bool Separate) PrepareEnd(AppendFile file, bool durable, JsonSerializerOptions options)
    {
        long length = file.Length;
        try
        {
            JsonLinesEnd.Kind end = JsonLinesEnd.Inspect(file.Handle, length, options, out long lineStart);
            if (end != JsonLinesEnd.Kind.Torn)
            {
                return (null, end is JsonLinesEnd.Kind.Record or JsonLinesEnd.Kind.Blank);
            }

            file.Truncate(lineStart);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AtomicWriteException(file.Path, AtomicWriteStage.Write, $"reading or cutting the end of the file before appending failed: {ex.Message}; nothing was appended.", ex, Errno(ex));
        }

        if (durable && file.Flush() is var errno and not 0)
        {
            throw new AtomicWriteException(file.Path, AtomicWriteStage.FlushToDisk,
                $"flushing the file (fsync) after cutting off its torn tail ({length - file.Length} unacknowledged bytes) failed: {DurableIO.Describe(errno)}; nothing was appended.", null, errno);
        }

        return (new JsonLinesTail(file.Path, file.Length, length - file.Length, truncated: true), false);
    }

    /// <summary>
    /// A group that failed part-way: its bytes are cut off again (and a file it created removed), so readers see what
    /// was there before. Never followed by another fsync: after a failed one, a successful retry could hide lost data.
    /// </summary>
    private static AtomicWriteException TakeBack(AppendFile file, long start, AtomicWriteStage stage, string reason, Exception? inner, int errno)
    {
        try
        {
            file.Truncate(start);
            if (start == 0)
            {
                file.RemoveCreated();
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new AtomicWriteException(file.Path, stage, $"{reason} and cutting the partly appended lines off again failed too ({ex.Message}).", inner, errno,
                "The file may end with part of what this call appended; none of it was acknowledged.");
        }

        return new AtomicWriteException(file.Path, stage, $"{reason} the appended bytes were cut off again.", inner, errno);
    }

    // A failed append does not raise TornTail: its error says that the cut, which stands, was made.
    private static string CutFirst(JsonLinesTail? cut) =>
        cut is null ? "" : $" (a torn tail of {cut.Length} unacknowledged bytes at offset {cut.Offset} had been cut off first)";

    private static int Errno(Exception ex) => ex is IOException { HResult: > 0 and < 4096 } io ? io.HResult : 0;
}
