using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// Which file a store's name points at right now, kept so that a transaction that must let go of a store's lock can
/// tell, once it has it back, whether anyone replaced or changed the file meanwhile. On Unix it holds the file open:
/// every write of this library replaces a file with a new inode, and an inode held open is never reused, so "same
/// device and inode, same length" cannot be fooled by a later file that happens to get the old inode number.
/// </summary>
internal sealed class FileStamp : IDisposable
{
    private readonly string _path;
    private readonly SafeFileHandle? _handle;
    private readonly Posix.FileStat _stat;
    private readonly long _length;
    private readonly DateTime _written;
    private readonly bool _unknown;

    private FileStamp(string path)
    {
        _path = path;
        try
        {
            if (OperatingSystem.IsWindows())
            {
                var info = new FileInfo(path);
                _length = info.Exists ? info.Length : -1;
                _written = info.Exists ? info.LastWriteTimeUtc : default;
                return;
            }

            _handle = Posix.OpenRegular(path, write: false);
            if (_handle is not null)
            {
                _stat = Posix.Stat(_handle, path);
                _length = RandomAccess.GetLength(_handle);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Something we cannot identify: never taken for unchanged.
            _unknown = true;
        }
    }

    /// <summary>Stamps the file at <paramref name="path"/> (a resolved store file; it need not exist).</summary>
    public static FileStamp Take(string path) => new(path);

    /// <summary>True when the name still points at the very file stamped (or still at nothing), unchanged in length.</summary>
    public bool Matches()
    {
        if (_unknown)
        {
            return false;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                var info = new FileInfo(_path);
                return info.Exists ? info.Length == _length && info.LastWriteTimeUtc == _written : _length == -1;
            }

            Posix.FileStat? now = Posix.LinkStat(_path);
            return _handle is null
                ? now is null
                : now is { } current && current.SameFileAs(_stat) && RandomAccess.GetLength(_handle) == _length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public void Dispose() => _handle?.Dispose();
}
