using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// A store file opened to append to, by the holder of the store's lock and for that hold only: a descriptor kept from
/// before the lock would write into the file another process's save has since renamed away. On Unix it is opened with
/// O_APPEND|O_NOFOLLOW|O_NONBLOCK and must be a regular file (a planted FIFO neither hangs nor is written); a missing
/// file is created with O_EXCL|O_NOFOLLOW and the mode a first save gives a new file (0666 &amp; ~umask); a symbolic
/// link is followed only where <see cref="TargetPath"/> trusts it, as saves do.
/// </summary>
internal sealed class AppendFile : IDisposable
{
    private readonly SafeFileHandle _handle;

    private AppendFile(SafeFileHandle handle, string path, bool created)
    {
        _handle = handle;
        Path = path;
        Created = created;
        Length = RandomAccess.GetLength(handle);
    }

    /// <summary>The file's full path, after symbolic links.</summary>
    public string Path { get; }

    /// <summary>Whether this open created the file (its folder must then be flushed for the name to be durable).</summary>
    public bool Created { get; }

    /// <summary>The file's length: where the next write lands (no writer of this library appends without the lock).</summary>
    public long Length { get; private set; }

    public SafeFileHandle Handle => _handle;

    /// <summary>Opens (or creates) the file the store file <paramref name="path"/> names.</summary>
    /// <exception cref="IOException">A link, FIFO or folder in its place (<see cref="Posix.NotRegular"/>), or any other failure.</exception>
    /// <exception cref="UnauthorizedAccessException">A link on the way that another user could have planted, or no permission.</exception>
    public static AppendFile Open(string path)
    {
        string target = TargetPath.Resolve(path);
        if (OperatingSystem.IsWindows())
        {
            bool existed = File.Exists(target);
            // Share everything, as loads do: saves rename over the name (under the same lock, never meanwhile).
            return new AppendFile(File.OpenHandle(target, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete), target, !existed);
        }

        for (int attempt = 0; ; attempt++)
        {
            if (Posix.OpenRegularForAppend(target) is { } existing)
            {
                return Checked(existing, target, created: false);
            }

            try
            {
                return Checked(Posix.CreateForAppend(target, Posix.NewFileMode), target, created: true);
            }
            catch (IOException ex) when (ex.HResult == Libc.EEXIST && attempt < 8)
            {
                // Created meanwhile by someone who does not take the lock: open what is there, with the same checks.
            }
        }
    }

    /// <summary>Writes all of <paramref name="bytes"/> at the end of the file, one write(2) unless the kernel takes less.</summary>
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (OperatingSystem.IsWindows())
        {
            RandomAccess.Write(_handle, bytes, Length);
        }
        else
        {
            Posix.WriteAll(_handle, bytes, Path);
        }

        Length += bytes.Length;
    }

    /// <summary>Cuts the file to <paramref name="length"/> bytes (ftruncate).</summary>
    public void Truncate(long length)
    {
        RandomAccess.SetLength(_handle, length);
        Length = length;
    }

    /// <summary>One checked fsync: 0 or the error, never retried (see <see cref="DurableIO.TryFlushFile"/>).</summary>
    public int Flush() => DurableIO.TryFlushFile(_handle);

    /// <summary>Removes the file this open created, after its first append failed: a failure leaves no file where there was none.</summary>
    public void RemoveCreated()
    {
        if (!Created)
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                _handle.Dispose();
                File.Delete(Path);
            }
            else if (Posix.LinkStat(Path) is { } now && now.SameFileAs(Posix.Stat(_handle, Path)))
            {
                // Only the file this open made, not whatever someone put under its name since.
                _ = Posix.Unlink(Path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // An empty file stays: it loads as no records, which is what it holds.
        }
    }

    public void Dispose() => _handle.Dispose();

    private static AppendFile Checked(SafeFileHandle handle, string path, bool created)
    {
        try
        {
            return new AppendFile(handle, path, created);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
