using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore.Platform;

/// <summary>
/// Opening, locking and inspecting files in a folder that someone else may also write to. .NET's own
/// <see cref="File.OpenHandle(string, FileMode, FileAccess, FileShare, FileOptions, long)"/> follows a planted
/// symbolic link, blocks on a planted FIFO, creates files 0666 &amp; ~umask, and takes its <c>flock</c> only while
/// <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> is unset; every call here says exactly what it does instead.
/// Unix only: callers keep their Windows branch.
/// </summary>
internal static class Posix
{
    private const uint TypeMask = 0xF000;
    private const uint RegularType = 0x8000;
    private const uint LinkType = 0xA000;

    /// <summary>The HResult of the <see cref="IOException"/> for an entry that is not a regular file.</summary>
    public const int NotRegular = 0x4E52_4547;

    /// <summary>0600: what a file that stands for an existing one is created with, before it takes that file's mode.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>0666: what any new file is created with (the umask then applies), and every read and write bit.</summary>
    public const UnixFileMode NewFileMode = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Group and other write bits of a mode.</summary>
    public const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    /// <summary>
    /// Creates <paramref name="path"/> for writing, failing if any entry of that name exists (O_EXCL: a planted link
    /// or FIFO is never followed or opened), with <paramref name="mode"/> before the umask.
    /// </summary>
    /// <exception cref="IOException">The errno is the <see cref="Exception.HResult"/>: <see cref="Libc.EEXIST"/> when the name is taken.</exception>
    public static SafeFileHandle CreateExclusive(string path, UnixFileMode mode) =>
        Create(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.ONoFollow | Libc.OCloexec, mode);

    /// <summary>
    /// Opens an existing <paramref name="path"/> without following a symbolic link in its last component and without
    /// blocking on a FIFO, and checks that it is a regular file.
    /// </summary>
    /// <returns>The handle, or null when nothing of that name exists.</returns>
    /// <exception cref="IOException">A link, FIFO, folder or device in its place (<see cref="Libc.ELOOP"/> for a link), or any other failure; the errno is the <see cref="Exception.HResult"/>.</exception>
    public static SafeFileHandle? OpenRegular(string path, bool write) => OpenRegular(path, write ? Libc.O_RDWR : Libc.O_RDONLY);

    /// <summary>
    /// <see cref="OpenRegular(string, bool)"/> for appending: read and write, every write at the end (O_APPEND), never
    /// through a link in the last component, never blocking on a FIFO, regular files only.
    /// </summary>
    /// <returns>The handle, or null when nothing of that name exists.</returns>
    /// <exception cref="IOException">As <see cref="OpenRegular(string, bool)"/>.</exception>
    public static SafeFileHandle? OpenRegularForAppend(string path) => OpenRegular(path, Libc.O_RDWR | Libc.O_APPEND);

    /// <summary>
    /// Creates <paramref name="path"/> for appending, failing if any entry of that name exists (O_EXCL|O_NOFOLLOW), with
    /// <paramref name="mode"/> before the umask.
    /// </summary>
    /// <exception cref="IOException">The errno is the <see cref="Exception.HResult"/>: <see cref="Libc.EEXIST"/> when the name is taken.</exception>
    public static SafeFileHandle CreateForAppend(string path, UnixFileMode mode)
    {
        SafeFileHandle created = Create(path, Libc.O_RDWR | Libc.O_APPEND | Libc.O_CREAT | Libc.O_EXCL | Libc.ONoFollow | Libc.OCloexec, mode);
        if (OperatingSystem.IsLinux())
        {
            return created;
        }

        // Elsewhere Create cannot hand open(2) our flags (see Create): open the new file again, with O_APPEND.
        created.Dispose();
        return OpenRegularForAppend(path) ?? throw Error(Libc.ENOENT, path, "opening");
    }

    /// <summary>write(2) until every byte is written: a short write is followed by another for the rest.</summary>
    /// <exception cref="IOException">A write failed (the errno is the <see cref="Exception.HResult"/>); some bytes may have been written.</exception>
    public static void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> bytes, string path)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            int fd = (int)handle.DangerousGetHandle();
            while (!bytes.IsEmpty)
            {
                nint written = Libc.Write(fd, bytes, bytes.Length);
                if (written < 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    if (errno == Libc.EINTR)
                    {
                        continue;
                    }

                    throw Error(errno, path, "appending to");
                }

                // A regular file never takes 0 bytes of a non-empty write without an error; do not spin if one does.
                if (written == 0)
                {
                    throw new IOException($"Appending to '{path}' failed: the kernel took 0 of {bytes.Length} bytes.");
                }

                bytes = bytes[(int)written..];
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static SafeFileHandle? OpenRegular(string path, int access)
    {
        int fd = Retry(() => Libc.Open(path, access | Libc.ONoFollow | Libc.ONonblock | Libc.OCloexec));
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno == Libc.ENOENT ? null : throw Error(errno, path, "opening");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            FileStat stat = Stat(handle, path);
            if (!stat.IsRegular)
            {
                throw new IOException($"'{path}' is not a regular file (a FIFO, folder or device is in its place); it is left alone.", NotRegular);
            }
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return handle;
    }

    /// <summary>
    /// Opens or creates <paramref name="path"/> (a lock file) for reading, which is all <c>flock</c> needs (a lock file
    /// of a read-only store is read-only too): never through a link, never a FIFO, new files with <paramref name="mode"/>.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="mode">The mode of a new file, before the umask.</param>
    /// <param name="created">Whether this call created it.</param>
    public static SafeFileHandle OpenOrCreateRegular(string path, UnixFileMode mode, out bool created)
    {
        // Open first (the common case), create if missing; a racing creator turns our create into EEXIST: open again.
        for (int attempt = 0; ; attempt++)
        {
            created = false;
            if (OpenRegular(path, write: false) is { } existing)
            {
                return existing;
            }

            try
            {
                created = true;
                return Create(path, Libc.O_RDWR | Libc.O_CREAT | Libc.O_EXCL | Libc.ONoFollow | Libc.OCloexec, mode);
            }
            catch (IOException ex) when (ex.HResult == Libc.EEXIST && attempt < 8)
            {
            }
        }
    }

    /// <summary>flock(2) on our own descriptor; 0 or the errno. <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> does not reach it.</summary>
    public static int Flock(SafeFileHandle handle, int operation) =>
        WithDescriptor(handle, fd => Retry(() => Libc.Flock(fd, operation)) == 0 ? 0 : Marshal.GetLastPInvokeError());

    /// <summary>fstat of an open file.</summary>
    public static FileStat Stat(SafeFileHandle handle, string path)
    {
        (int errno, FileStat stat) = WithDescriptor(handle, static fd => Libc.FStat(fd, out FileStat s) == 0 ? (0, s) : (Marshal.GetLastPInvokeError(), default));
        return errno == 0 ? stat : throw Error(errno, path, "inspecting");
    }

    /// <summary>lstat: the entry itself, a link not followed; null when nothing of that name exists.</summary>
    public static FileStat? LinkStat(string path)
    {
        if (Libc.LStat(path, out FileStat stat) == 0)
        {
            return stat;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is Libc.ENOENT or Libc.ENOTDIR ? null : throw Error(errno, path, "inspecting");
    }

    /// <summary>
    /// The target of the symbolic link <paramref name="path"/> and the link's own stat, read from one and the same link:
    /// on Linux through an O_PATH descriptor (fstat, then readlinkat on it), so that a link swapped in between the two
    /// cannot pass the other's checks. Elsewhere lstat, then readlink (not atomic).
    /// </summary>
    /// <returns>The stat (null when nothing of that name exists) and the target (null when it is not a link).</returns>
    public static (FileStat? Stat, string? Target) ReadLink(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            FileStat? entry = LinkStat(path);
            return (entry, entry is { IsLink: true } ? new FileInfo(path).LinkTarget : null);
        }

        int fd = Retry(() => Libc.Open(path, Libc.O_PATH_LINUX | Libc.ONoFollow | Libc.OCloexec));
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is Libc.ENOENT or Libc.ENOTDIR ? (null, null) : throw Error(errno, path, "inspecting");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        FileStat stat = Stat(handle, path);
        if (!stat.IsLink)
        {
            return (stat, null);
        }

        (nint length, int error, byte[] buffer) = WithDescriptor(handle, static d =>
        {
            byte[] bytes = new byte[4096];
            nint n = Libc.ReadLinkAt(d, "", bytes, bytes.Length);
            return (n, n < 0 ? Marshal.GetLastPInvokeError() : 0, bytes);
        });
        return length < 0
            ? throw Error(error, path, "reading the link")
            : (stat, System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length));
    }

    /// <summary>stat: links followed; null when nothing of that name exists.</summary>
    public static FileStat? FollowStat(string path)
    {
        if (Libc.Stat(path, out FileStat stat) == 0)
        {
            return stat;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is Libc.ENOENT or Libc.ENOTDIR ? null : throw Error(errno, path, "inspecting");
    }

    /// <summary>Gives an open file the owner and group of the file it replaces, where the caller may (root may; others only to themselves).</summary>
    /// <returns>0, or the errno (EPERM when the caller may not: not an error for a save).</returns>
    public static int Chown(SafeFileHandle handle, uint uid, uint gid) =>
        WithDescriptor(handle, fd => Libc.FChown(fd, uid, gid) == 0 ? 0 : Marshal.GetLastPInvokeError());

    /// <summary>
    /// Gives a file this library just created the owner, group and mode of the file it stands for, where the caller
    /// may: root may give any owner; anyone may give a group they belong to (so when the owner cannot be kept, the
    /// group still is). Owner first: chown clears set-id bits.
    /// </summary>
    /// <exception cref="IOException">A failure other than "not permitted".</exception>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void TakeOwnerAndMode(SafeFileHandle handle, FileStat file, string path)
    {
        if (file.Uid != EffectiveUserId || file.Gid != EffectiveGroupId)
        {
            int errno = Chown(handle, file.Uid, file.Gid);
            if (errno == Libc.EPERM)
            {
                // Not root: the file stays the caller's, as any file it writes would, but keeps its group if the caller
                // is in it. (uint.MaxValue is chown's "leave the owner as it is".)
                errno = Chown(handle, uint.MaxValue, file.Gid);
            }

            if (errno is not (0 or Libc.EPERM))
            {
                throw Error(errno, path, "giving the owner and group of the file it replaces to");
            }
        }

        File.SetUnixFileMode(handle, file.Permissions);
    }

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => Libc.GetEUid();

    /// <summary>The effective group id of this process.</summary>
    public static uint EffectiveGroupId => Libc.GetEGid();

    /// <summary>Removes <paramref name="path"/>; 0 or the errno.</summary>
    public static int Unlink(string path) => Libc.Unlink(path) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>An <see cref="IOException"/> carrying the errno as its HResult, as .NET's own Unix errors do.</summary>
    public static IOException Error(int errno, string path, string doing) =>
        new($"{char.ToUpperInvariant(doing[0])}{doing[1..]} '{path}' failed: {Libc.Describe(errno)}.", errno);

    private static SafeFileHandle Create(string path, int flags, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException();
        }

        if (!OperatingSystem.IsLinux())
        {
            // open(2) is variadic and Apple arm64 passes variadic arguments on the stack, so no P/Invoke can hand it
            // a mode there. .NET's own open takes one (UnixCreateMode), and CreateNew is O_CREAT|O_EXCL, which never
            // follows a link or opens a FIFO. .NET takes a shared flock here, which our exclusive one converts.
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.ReadWrite,
                Share = FileShare.ReadWrite | FileShare.Delete,
                BufferSize = 0,
                UnixCreateMode = mode,
            });
            // The handle outlives the stream object, whose finalizer never closes it (only Dispose does).
            return stream.SafeFileHandle;
        }

        // On Linux (x64 and arm64) a variadic int is passed like a fixed one, so the three-argument form is exact.
        int fd = Retry(() => Libc.OpenCreate(path, flags, (uint)mode));
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        int errno = Marshal.GetLastPInvokeError();
        // ENOENT from O_CREAT means the folder is missing: the same exception type .NET raises, which callers act on.
        throw errno == Libc.ENOENT
            ? new DirectoryNotFoundException($"Creating '{path}' failed: its folder does not exist ({Libc.Describe(errno)}).") { HResult = errno }
            : Error(errno, path, "creating");
    }

    private static int Retry(Func<int> call)
    {
        int result;
        do
        {
            result = call();
        }
        while (result < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);

        return result;
    }

    /// <summary>Calls <paramref name="call"/> with the raw descriptor, keeping the handle open while it is in use.</summary>
    public static TResult WithDescriptor<TResult>(SafeFileHandle handle, Func<int, TResult> call)
    {
        bool added = false;
        handle.DangerousAddRef(ref added);
        try
        {
            return call((int)handle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>What this library needs of a stat: type and mode, owner, identity.</summary>
    internal readonly record struct FileStat(uint Mode, uint Uid, uint Gid, ulong Device, ulong Inode, uint Links)
    {
        public bool IsRegular => (Mode & TypeMask) == RegularType;

        public bool IsLink => (Mode & TypeMask) == LinkType;

        public UnixFileMode Permissions => (UnixFileMode)(Mode & 0xFFF);

        /// <summary>Same file: device and inode.</summary>
        public bool SameFileAs(FileStat other) => Device == other.Device && Inode == other.Inode;
    }
}
