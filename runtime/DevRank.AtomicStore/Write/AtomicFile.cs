using System.Text;

namespace DevRank.AtomicStore;

/// <summary>
/// Replaces one file atomically and durably: the content goes to a unique temp file in the same folder, which is
/// flushed to the device, renamed over the target, and then the folder is flushed. Readers and crashes see the old
/// file or the new one, never a mix; a write that returns has made the new content durable (at the default
/// <see cref="Durability.Durable"/> level); a write that throws has left the previous file byte-for-byte intact
/// and removed its temp file.
/// </summary>
/// <remarks>
/// A symbolic link as the target is followed (the link stays a link), and the target's Unix mode is kept.
/// Concurrent writes to one file each replace it whole; the last rename wins. To read, change and write a file
/// without losing another writer's change, use a store's <c>Update</c>.
/// </remarks>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/>.</summary>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="bytes">The new content.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes, AtomicWriteOptions? options = null)
    {
        using AtomicWrite write = AtomicWrite.Begin(path, options);
        try
        {
            RandomAccess.Write(write.Handle, bytes, fileOffset: 0);
        }
        catch (Exception ex)
        {
            throw write.Fail(ex);
        }

        write.Commit();
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="bytes"/>; the flushes run on the thread pool.</summary>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="bytes">The new content; it must not change until the task completes.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write up to the rename; after it, the write completes.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the file is unchanged.</exception>
    public static Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> bytes, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteAsync(path, bytes, static (stream, state, token) => stream.WriteAsync(state, token), options, cancellationToken);

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/>, encoded as UTF-8 without a byte order mark unless <paramref name="encoding"/> says otherwise.</summary>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="contents">The new text.</param>
    /// <param name="encoding">The encoding; UTF-8 without BOM when null.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    public static void WriteAllText(string path, string contents, Encoding? encoding = null, AtomicWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(contents);
        Write(path, (contents, encoding ?? Utf8NoBom), static (stream, state) =>
        {
            using var writer = new StreamWriter(stream, state.Item2, bufferSize: -1, leaveOpen: true);
            writer.Write(state.contents);
        }, options);
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="contents"/> (UTF-8 without BOM unless <paramref name="encoding"/> says otherwise).</summary>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="contents">The new text.</param>
    /// <param name="encoding">The encoding; UTF-8 without BOM when null.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Cancels the write up to the rename; after it, the write completes.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the file is unchanged.</exception>
    public static Task WriteAllTextAsync(string path, string contents, Encoding? encoding = null, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return WriteAsync(path, (contents, encoding ?? Utf8NoBom), static async (stream, state, token) =>
        {
            await using var writer = new StreamWriter(stream, state.Item2, bufferSize: -1, leaveOpen: true);
            await writer.WriteAsync(state.contents.AsMemory(), token).ConfigureAwait(false);
        }, options, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes to the stream it is given, so
    /// that a large document never has to exist as one buffer. Do not dispose or keep the stream.
    /// </summary>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="write">Writes the new content. If it throws, the file is unchanged and the exception is the inner exception of the <see cref="AtomicWriteException"/>.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    public static void Write(string path, Action<Stream> write, AtomicWriteOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        Write(path, write, static (stream, callback) => callback(stream), options);
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes, passing it
    /// <paramref name="state"/> so that callers need not allocate a closure.
    /// </summary>
    /// <typeparam name="TState">The type of the state handed to the callback.</typeparam>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="state">Passed to <paramref name="write"/>.</param>
    /// <param name="write">Writes the new content to the stream it is given. Do not dispose or keep the stream.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    public static void Write<TState>(string path, TState state, Action<Stream, TState> write, AtomicWriteOptions? options = null) =>
        Write(path, state, write, options, bufferSize: null);

    /// <summary>
    /// The streaming write; <paramref name="bufferSize"/> 0 for writers that hand over large chunks themselves;
    /// <paramref name="inheritFrom"/> the file whose mode and owner the new file takes, when not the one it replaces.
    /// </summary>
    internal static void Write<TState>(string path, TState state, Action<Stream, TState> write, AtomicWriteOptions? options, int? bufferSize, Platform.Posix.FileStat? inheritFrom = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        using AtomicWrite atomic = AtomicWrite.Begin(path, options, inheritFrom);
        try
        {
            write(atomic.OpenStream(bufferSize), state);
        }
        catch (Exception ex)
        {
            throw atomic.Fail(ex);
        }

        atomic.Commit();
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes asynchronously. The flushes,
    /// which block, run on the thread pool.
    /// </summary>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="write">Writes the new content to the stream it is given. Do not dispose or keep the stream.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Passed to <paramref name="write"/>; cancels the write up to the rename.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the file is unchanged.</exception>
    public static Task WriteAsync(string path, Func<Stream, CancellationToken, ValueTask> write, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        return WriteAsync(path, write, static (stream, callback, token) => callback(stream, token), options, cancellationToken);
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with whatever <paramref name="write"/> writes asynchronously, passing it
    /// <paramref name="state"/> so that callers need not allocate a closure.
    /// </summary>
    /// <typeparam name="TState">The type of the state handed to the callback.</typeparam>
    /// <param name="path">The file to replace or create. Its folder must exist.</param>
    /// <param name="state">Passed to <paramref name="write"/>.</param>
    /// <param name="write">Writes the new content to the stream it is given. Do not dispose or keep the stream.</param>
    /// <param name="options">Durability and buffering; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="cancellationToken">Passed to <paramref name="write"/>; cancels the write up to the rename.</param>
    /// <exception cref="AtomicWriteException">The write failed; the file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place, but flushing its folder failed.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the rename; the file is unchanged.</exception>
    public static async Task WriteAsync<TState>(string path, TState state, Func<Stream, TState, CancellationToken, ValueTask> write, AtomicWriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        cancellationToken.ThrowIfCancellationRequested();
        using AtomicWrite atomic = AtomicWrite.Begin(path, options);
        try
        {
            Stream stream = atomic.OpenStream();
            await write(stream, state, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
        catch (Exception ex)
        {
            throw atomic.Fail(ex);
        }

        // fsync has no asynchronous form: block a pool thread, not the caller's. From here on the write completes
        // whatever the token says, so that a cancelled caller never leaves a rename without its folder flush.
        await Task.Run(atomic.Commit, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the temp files that writers of <paramref name="path"/> left when they were killed. A temp whose
    /// writer is still running is never touched: each writer holds a lock on its temp that dies with its process.
    /// </summary>
    /// <param name="path">The target file whose stale temps to remove.</param>
    /// <returns>How many stale temp files were deleted.</returns>
    public static int SweepStaleTemps(string path) => TempFiles.Sweep(TargetPath.Resolve(path));
}
