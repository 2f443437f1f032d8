using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// Reads and parses a store file, once, and turns every way it can fail into a typed error that names the file.
/// It never writes, moves or deletes the file.
/// </summary>
internal static class StoreReader
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Loads the file; false only when it does not exist.</summary>
    public static bool TryRead<T>(string path, JsonTypeInfo<T> typeInfo, out T value)
    {
        using SafeFileHandle? handle = OpenInFolder(path);
        if (handle is null)
        {
            value = default!;
            return false;
        }

        long length = Length(handle, path);
        if (length <= JsonFileStoreDefaults.WholeReadLimit)
        {
            byte[] buffer = Rent((int)length);
            try
            {
                int read = ReadAll(handle, path, buffer.AsSpan(0, (int)length));
                value = Parse(path, buffer.AsSpan(0, read), typeInfo);
                return true;
            }
            finally
            {
                Return(buffer);
            }
        }

        using var stream = new Utf8ValidatingStream(new FileStream(handle, FileAccess.Read, bufferSize: 0));
        value = Checked(path, Deserialize(path, typeInfo, () => JsonSerializer.Deserialize(stream, typeInfo)));
        return true;
    }

    /// <summary>Loads the file asynchronously; (false, default) only when it does not exist.</summary>
    public static async ValueTask<(bool Found, T Value)> TryReadAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using SafeFileHandle? handle = OpenInFolder(path);
        if (handle is null)
        {
            return (false, default!);
        }

        long length = Length(handle, path);
        if (length <= JsonFileStoreDefaults.WholeReadLimit)
        {
            byte[] buffer = Rent((int)length);
            try
            {
                int read = await ReadAllAsync(handle, path, buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
                return (true, Parse(path, buffer.AsSpan(0, read), typeInfo));
            }
            finally
            {
                Return(buffer);
            }
        }

        await using var stream = new Utf8ValidatingStream(new FileStream(handle, FileAccess.Read, bufferSize: 0));
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StreamedFailure(path, typeInfo, ex) is { } failure)
        {
            throw failure;
        }

        return (true, Checked(path, value));
    }

    /// <summary>
    /// A buffer for a whole file: pooled while small; above <see cref="JsonFileStoreDefaults.PooledBufferLimit"/> a
    /// plain array, so that a 60 MB load does not leave 60 MB parked in the shared pool afterwards. A zeroed
    /// <c>new byte[]</c>, as <c>File.ReadAllBytes</c> uses: <c>GC.AllocateUninitializedArray</c> made a 32 MB load
    /// 1.26 × slower with a gen-2 collection every other load (docs/benchmarks.md).
    /// </summary>
    private static byte[] Rent(int length) =>
        length <= JsonFileStoreDefaults.PooledBufferLimit ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];

    private static void Return(byte[] buffer)
    {
        if (buffer.Length <= JsonFileStoreDefaults.PooledBufferLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <see cref="Open"/>, with one more question when the file is not there or its path cannot be walked: is a level
    /// of its folder a file (or a dangling link)? Then it is not "no store yet" but a path that cannot hold a store.
    /// Asked only on those failures, so a load of an existing file pays nothing for it.
    /// </summary>
    private static SafeFileHandle? OpenInFolder(string path)
    {
        SafeFileHandle? handle;
        try
        {
            handle = Open(path);
        }
        catch (StoreLoadException ex) when (ex.GetType() == typeof(StoreLoadException) && DurableFolders.NotAFolderIn(Path.GetDirectoryName(path)!) is { } level)
        {
            throw NotInAFolder(path, level, ex.InnerException);
        }

        return handle is null && DurableFolders.NotAFolderIn(Path.GetDirectoryName(path)!) is { } missing ? throw NotInAFolder(path, missing, null) : handle;
    }

    private static StoreLoadException NotInAFolder(string path, string level, Exception? inner) =>
        new(path, $"The store file '{path}' cannot be loaded: {DurableFolders.NotAFolder(level)}. Nothing was created in its place.", inner);

    private static SafeFileHandle? Open(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return OpenWindows(path);
        }

        try
        {
            try
            {
                // No link followed, no blocking on a FIFO, nothing but a regular file: a planted FIFO would hang every
                // load, and a planted link could make this process read any file it may read.
                return Posix.OpenRegular(path, write: false);
            }
            catch (IOException ex) when (ex.HResult == Libc.ELOOP)
            {
                // A symbolic link: followed only where nobody else could have planted it (TargetPath.CheckTrusted).
                string target = TargetPath.Resolve(path);
                return Posix.OpenRegular(target, write: false)
                    ?? throw DanglingLink(path, target, ex);
            }
        }
        catch (IOException ex) when (ex.HResult == Posix.NotRegular)
        {
            string problem = Directory.Exists(path) ? "is a folder, not a file" : "is not a regular file (a FIFO, socket or device is in its place)";
            throw new StoreLoadException(path, $"The store file '{path}' {problem}. It was not opened and is left as it is.", ex);
        }
        catch (IOException ex) when (ex.HResult == Libc.EACCES)
        {
            throw new StoreLoadException(path, $"The store file '{path}' cannot be read: permission denied.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreLoadException(path, $"The store file '{path}' cannot be read: {ex.Message}", ex);
        }
        catch (IOException ex) when (ex is not AtomicStoreException)
        {
            throw new StoreLoadException(path, $"The store file '{path}' could not be opened: {ex.Message}", ex);
        }
    }

    // A dangling link usually means a data volume is missing: never treat that as "no data yet".
    private static StoreLoadException DanglingLink(string path, string target, Exception inner) =>
        new(path, $"The store file '{path}' is a symbolic link to '{target}', which does not exist. Nothing was created in its place.", inner);

    private static SafeFileHandle? OpenWindows(string path)
    {
        try
        {
            // Share everything: a concurrent atomic replace renames over the name and never touches the handle we hold.
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            if (new FileInfo(path).LinkTarget is { } link)
            {
                throw DanglingLink(path, link, ex);
            }

            return null;
        }
        catch (UnauthorizedAccessException ex)
        {
            string problem = Directory.Exists(path) ? "is a folder, not a file" : "cannot be read: permission denied";
            throw new StoreLoadException(path, $"The store file '{path}' {problem}.", ex);
        }
        catch (IOException ex)
        {
            throw new StoreLoadException(path, $"The store file '{path}' could not be opened: {ex.Message}", ex);
        }
    }

    private static long Length(SafeFileHandle handle, string path)
    {
        try
        {
            return RandomAccess.GetLength(handle);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex);
        }
    }

    private static int ReadAll(SafeFileHandle handle, string path, Span<byte> buffer)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = RandomAccess.Read(handle, buffer[total..], total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex);
        }

        return total;
    }

    private static async ValueTask<int> ReadAllAsync(SafeFileHandle handle, string path, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        try
        {
            while (total < buffer.Length)
            {
                int read = await RandomAccess.ReadAsync(handle, buffer[total..], total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex);
        }

        return total;
    }

    private static T Parse<T>(string path, ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo)
    {
        // Editors on Windows add a BOM; the span reader does not skip it as the stream reader does.
        if (utf8.StartsWith(Utf8Bom))
        {
            utf8 = utf8[Utf8Bom.Length..];
        }

        if (utf8.IsEmpty)
        {
            throw new StoreCorruptException(path, "the file is empty (0 bytes of JSON)");
        }

        if (!utf8.ContainsAnyExcept((byte)0))
        {
            throw new StoreCorruptException(path, $"the file holds only NUL bytes ({utf8.Length} bytes), which is what a crash during a non-atomic, in-place write leaves behind");
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw new StoreCorruptException(path, "the file is not valid UTF-8");
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8, typeInfo);
        }
        catch (Exception ex) when (JsonConfiguration.IsContentError(ex))
        {
            throw Corrupt(path, ex);
        }
        catch (Exception ex) when (JsonConfiguration.IsConfigurationError(ex))
        {
            // The type could not even be tried on the content; the content can still be plainly broken JSON.
            throw JsonConfiguration.SyntaxError(utf8, typeInfo.Options) is { } syntax
                ? Corrupt(path, syntax)
                : JsonConfiguration.LoadError(path, typeInfo, ex, wellFormed: true);
        }

        return Checked(path, value);
    }

    private static T? Deserialize<T>(string path, JsonTypeInfo<T> typeInfo, Func<T?> deserialize)
    {
        try
        {
            return deserialize();
        }
        catch (Exception ex) when (StreamedFailure(path, typeInfo, ex) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// What a failure of a streamed load (sync or async) means: bad content, a type the metadata cannot read (the
    /// content unjudged), or a read error; null for anything else, which propagates as it is.
    /// </summary>
    private static Exception? StreamedFailure<T>(string path, JsonTypeInfo<T> typeInfo, Exception ex)
    {
        if (JsonConfiguration.IsContentError(ex))
        {
            return Corrupt(path, ex);
        }

        if (JsonConfiguration.IsConfigurationError(ex))
        {
            return JsonConfiguration.LoadError(path, typeInfo, ex, wellFormed: false);
        }

        return ex is IOException or UnauthorizedAccessException ? Unreadable(path, ex) : null;
    }

    private static StoreLoadException Unreadable(string path, Exception ex) =>
        new(path, $"The store file '{path}' could not be read: {ex.Message}", ex);

    private static T Checked<T>(string path, T? value) =>
        value ?? throw new StoreCorruptException(path, "the document is JSON null, not a value of the store's type");

    private static StoreCorruptException Corrupt(string path, Exception ex)
    {
        if (ex is JsonException json)
        {
            return new StoreCorruptException(path, WithoutPosition(json.Message), json.LineNumber, json.BytePositionInLine, json.Path, json);
        }

        return new StoreCorruptException(path, ex.Message, innerException: ex);
    }

    private static string WithoutPosition(string message)
    {
        // System.Text.Json appends " Path: $ | LineNumber: 0 | BytePositionInLine: 1."; we report those ourselves.
        int at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (at > 0 ? message[..at] : message).TrimEnd('.', ' ');
    }
}
