using System.Runtime.InteropServices;

namespace DevRank.AtomicStore.Platform;

/// <summary>
/// The few POSIX calls .NET does not expose with checked results. .NET's own fsync wrapper
/// (<c>FileStream.Flush(true)</c>, <c>RandomAccess.FlushToDisk</c>) swallows errors on Linux and macOS in .NET 10,
/// there is no managed way to fsync a folder, and <c>File.Move</c> silently copies across devices.
/// </summary>
internal static partial class Libc
{
    private const string Library = "libc";

    public const int EINTR = 4;
    public const int EINVAL = 22;
    public const int EXDEV = 18;
    public const int ENOTTY = 25;
    public const int ENOTSUP_MAC = 45;
    public const int EOPNOTSUPP_LINUX = 95;
    public const int F_FULLFSYNC_MAC = 51;
    public const int O_RDONLY = 0;

    /// <summary>O_CLOEXEC, whose value differs by OS: a child started meanwhile must not inherit the folder's descriptor.</summary>
    public static int OCloexec => OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() ? 0x1000000 : 0;

    public const int EWOULDBLOCK_LINUX = 11;
    public const int EWOULDBLOCK_MAC = 35;

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    // open and fcntl are variadic in C: declare only the fixed parameters, which is what Apple arm64 needs.
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    public const int LOCK_SH = 1;
    public const int LOCK_NB = 4;

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existingPath, string newPath);

    [LibraryImport(Library, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string oldPath, string newPath);

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
