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

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int EXDEV = 18;
    public const int ENOTTY = 25;
    public const int ENOTSUP_MAC = 45;
    public const int EOPNOTSUPP_LINUX = 95;
    public const int F_FULLFSYNC_MAC = 51;
    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;

    private static bool IsApple => OperatingSystem.IsMacOS() || OperatingSystem.IsIOS();

    private static bool IsArm64 => RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>ELOOP: open with O_NOFOLLOW met a symbolic link.</summary>
    public static int ELOOP => IsApple ? 62 : 40;

    // Flag values differ by OS, and O_NOFOLLOW even by architecture on Linux (arm and powerpc override the generic
    // value, under which 0x20000 is O_LARGEFILE or O_DIRECT): never guess one.
    public static int O_CREAT => Checked(IsApple ? 0x200 : 0x40);

    public static int O_EXCL => Checked(IsApple ? 0x800 : 0x80);

    public static int ONonblock => Checked(IsApple ? 0x4 : 0x800);

    /// <summary>O_APPEND: every write(2) goes to the end of the file, wherever another writer left it.</summary>
    public static int O_APPEND => Checked(IsApple ? 0x8 : 0x400);

    public static int ONoFollow => IsApple ? 0x100 : RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 or Architecture.S390x or RiscV64 or Architecture.LoongArch64 => Checked(0x20000),
        Architecture.Arm or Architecture.Armv6 or Architecture.Arm64 or Architecture.Ppc64le => Checked(0x8000),
        _ => throw Unsupported(),
    };

    // Architecture.RiscV64 is new in .NET 9; this package also targets .NET 8.
    private const Architecture RiscV64 = (Architecture)9;

    /// <summary>O_PATH (Linux): a descriptor naming a file, a link itself with O_NOFOLLOW, without opening it.</summary>
    public const int O_PATH_LINUX = 0x200000;

    private static int Checked(int flag) => OperatingSystem.IsLinux() || IsApple ? flag : throw Unsupported();

    private static PlatformNotSupportedException Unsupported() => new(
        $"DevRank.AtomicStore knows the open(2) flags of Linux (x64, x86, arm, arm64, ppc64le, s390x, riscv64, loongarch64) and macOS, not of {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}: it will not guess the values its defences depend on.");

    /// <summary>O_CLOEXEC, whose value differs by OS: a child started meanwhile must not inherit the folder's descriptor.</summary>
    public static int OCloexec => OperatingSystem.IsLinux() ? 0x80000 : OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() ? 0x1000000 : 0;

    public const int EWOULDBLOCK_LINUX = 11;
    public const int EWOULDBLOCK_MAC = 35;

    /// <summary>EWOULDBLOCK of this OS: flock with LOCK_NB on a lock someone else holds.</summary>
    public static int EWOULDBLOCK => IsApple ? EWOULDBLOCK_MAC : EWOULDBLOCK_LINUX;

    [LibraryImport(Library, EntryPoint = "fsync", SetLastError = true)]
    public static partial int FSync(int fd);

    /// <summary>write(2): how many bytes the kernel took, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nint count);

    // open and fcntl are variadic in C: declare only the fixed parameters, which is what Apple arm64 needs.
    [LibraryImport(Library, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int command);

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    public const int LOCK_SH = 1;
    public const int LOCK_EX = 2;
    public const int LOCK_NB = 4;
    public const int LOCK_UN = 8;

    /// <summary>The three-argument open(2), for O_CREAT. Linux only: see <see cref="Posix"/> for why.</summary>
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenCreate(string path, int flags, uint mode);

    [LibraryImport(Library, EntryPoint = "unlink", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Unlink(string path);

    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(int fd, uint uid, uint gid);

    [LibraryImport(Library, EntryPoint = "geteuid")]
    public static partial uint GetEUid();

    [LibraryImport(Library, EntryPoint = "getegid")]
    public static partial uint GetEGid();

    /// <summary>readlinkat(2); with an O_PATH descriptor of a link and an empty path, reads that very link.</summary>
    [LibraryImport(Library, EntryPoint = "readlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ReadLinkAt(int dirfd, string path, [Out] byte[] buffer, nint size);

    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Link(string existingPath, string newPath);

    [LibraryImport(Library, EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Rename(string oldPath, string newPath);

    /// <summary>fstat(2), into the fields this library reads.</summary>
    public static int FStat(int fd, out Posix.FileStat stat) => KnownOs && IsApple ? DarwinStat(fd, null, out stat) : LinuxStat(fd, "", AT_EMPTY_PATH, out stat);

    // The stat wrappers below know Linux's statx and Darwin's struct stat; anything else is refused, not guessed.
    private static bool KnownOs => OperatingSystem.IsLinux() || IsApple ? true : throw Unsupported();

    /// <summary>stat(2), links followed, into the fields this library reads.</summary>
    public static int Stat(string path, out Posix.FileStat stat) => KnownOs && IsApple ? DarwinStat(-2, path, out stat) : LinuxStat(AT_FDCWD, path, 0, out stat);

    /// <summary>lstat(2), into the fields this library reads.</summary>
    public static int LStat(string path, out Posix.FileStat stat) => KnownOs && IsApple ? DarwinStat(-1, path, out stat) : LinuxStat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, out stat);

    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";

    // Linux: statx, whose struct is the same on every architecture (struct stat is not).
    private const int AT_FDCWD = -100;
    private const int AT_SYMLINK_NOFOLLOW = 0x100;
    private const int AT_EMPTY_PATH = 0x1000;
    private const uint STATX_BASIC_STATS = 0x7FF;

    private static int LinuxStat(int dirfd, string path, int flags, out Posix.FileStat stat)
    {
        StatxBuffer buffer;
        int rc;
        if (!s_statxMissing)
        {
            try
            {
                rc = Statx(dirfd, path, flags, STATX_BASIC_STATS, out buffer);
            }
            catch (EntryPointNotFoundException)
            {
                // musl before 1.2.5 (Alpine 3.19 and older) has no statx wrapper; the kernel has the call (Linux 4.11).
                s_statxMissing = true;
                rc = SyscallStatx(StatxNumber, dirfd, path, flags, STATX_BASIC_STATS, out buffer);
            }
        }
        else
        {
            rc = SyscallStatx(StatxNumber, dirfd, path, flags, STATX_BASIC_STATS, out buffer);
        }

        stat = rc == 0
            ? new Posix.FileStat(buffer.Mode, buffer.Uid, buffer.Gid, ((ulong)buffer.DevMajor << 32) | buffer.DevMinor, buffer.Inode, buffer.Links)
            : default;
        return rc;
    }

    private static bool s_statxMissing;

    private static long StatxNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 332,
        Architecture.Arm64 or RiscV64 or Architecture.LoongArch64 => 291,
        Architecture.Arm or Architecture.Armv6 => 397,
        Architecture.X86 or Architecture.Ppc64le => 383,
        Architecture.S390x => 379,
        _ => throw Unsupported(),
    };

    [LibraryImport(Library, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    // syscall(2) is variadic; on Linux a variadic integer or pointer is passed like a fixed one.
    [LibraryImport(Library, EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SyscallStatx(long number, int dirfd, string path, int flags, uint mask, out StatxBuffer buffer);

    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(16)] public uint Links;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    // macOS: struct stat with 64-bit inodes (the only layout on arm64; the $INODE64 symbols on x64). Not run by CI.
    private static int DarwinStat(int fd, string? path, out Posix.FileStat stat)
    {
        DarwinStatBuffer buffer;
        // fd -1: lstat of path; -2: stat of path; else fstat of fd.
        int rc = (path, fd, IsArm64) switch
        {
            (null, _, true) => DarwinFStat(fd, out buffer),
            (null, _, false) => DarwinFStatX64(fd, out buffer),
            (_, -2, true) => DarwinFollowStat(path, out buffer),
            (_, -2, false) => DarwinFollowStatX64(path, out buffer),
            (_, _, true) => DarwinLStat(path, out buffer),
            (_, _, false) => DarwinLStatX64(path, out buffer),
        };
        stat = rc == 0 ? new Posix.FileStat(buffer.Mode, buffer.Uid, buffer.Gid, (uint)buffer.Device, buffer.Inode, buffer.Links) : default;
        return rc;
    }

    [LibraryImport(Library, EntryPoint = "fstat", SetLastError = true)]
    private static partial int DarwinFStat(int fd, out DarwinStatBuffer buffer);

    [LibraryImport(Library, EntryPoint = "fstat$INODE64", SetLastError = true)]
    private static partial int DarwinFStatX64(int fd, out DarwinStatBuffer buffer);

    [LibraryImport(Library, EntryPoint = "lstat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int DarwinLStat(string path, out DarwinStatBuffer buffer);

    [LibraryImport(Library, EntryPoint = "lstat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int DarwinLStatX64(string path, out DarwinStatBuffer buffer);

    [LibraryImport(Library, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int DarwinFollowStat(string path, out DarwinStatBuffer buffer);

    [LibraryImport(Library, EntryPoint = "stat$INODE64", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int DarwinFollowStatX64(string path, out DarwinStatBuffer buffer);

    [StructLayout(LayoutKind.Explicit, Size = 144)]
    private struct DarwinStatBuffer
    {
        [FieldOffset(0)] public int Device;
        [FieldOffset(4)] public ushort Mode;
        [FieldOffset(6)] public ushort Links;
        [FieldOffset(8)] public ulong Inode;
        [FieldOffset(16)] public uint Uid;
        [FieldOffset(20)] public uint Gid;
    }
}
