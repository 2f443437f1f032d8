using System.Buffers;
using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// Opens and reads a store file for any format, and turns every way that can fail into a typed error that names the
/// file: a missing file (null), a link nobody may have planted, a FIFO or folder in its place, a read error. It
/// never writes, moves or deletes the file.
/// </summary>
internal static class StoreFileReader
{
    /// <summary>
    /// A buffer for a whole file: pooled while small; above <see cref="StoreDefaults.PooledBufferLimit"/> a
    /// plain array, so that a 60 MB load does not leave 60 MB parked in the shared pool afterwards. A zeroed
    /// <c>new byte[]</c>, as <c>File.ReadAllBytes</c> uses: <c>GC.AllocateUninitializedArray</c> made a 32 MB load
    /// 1.26 × slower with a gen-2 collection every other load (docs/benchmarks.md).
    /// </summary>
    public static byte[] Rent(int length) =>
        length <= StoreDefaults.PooledBufferLimit ? ArrayPool<byte>.Shared.Rent(length) : new byte[length];

    public static void Return(byte[] buffer)
    {
        if (buffer.Length <= StoreDefaults.PooledBufferLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// <see cref="Open"/>, with one more question when the file is not there or its path cannot be walked: is a level
    /// of its folder a file (or a dangling link)? Then it is not "no store yet" but a path that cannot hold a store.
    /// Asked only on those failures, so a load of an existing file pays nothing for it.
    /// </summary>
    public static SafeFileHandle? OpenInFolder(string path)
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

    public static long Length(SafeFileHandle handle, string path)
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

    public static int ReadAll(SafeFileHandle handle, string path, Span<byte> buffer)
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

    public static async ValueTask<int> ReadAllAsync(SafeFileHandle handle, string path, Memory<byte> buffer, CancellationToken cancellationToken)
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

    public static StoreLoadException Unreadable(string path, Exception ex) =>
        new(path, $"The store file '{path}' could not be read: {ex.Message}", ex);

}
