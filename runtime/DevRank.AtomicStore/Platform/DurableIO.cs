using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore.Platform;

/// <summary>The three operating-system steps of a durable replace: flush a file, rename it over another, flush a folder.</summary>
internal static class DurableIO
{
    /// <summary>Flushes a file's data and size to the device, or throws. Never retried after a real failure.</summary>
    public static void FlushFile(SafeFileHandle handle, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            if (!Kernel32.FlushFileBuffers(handle))
            {
                int error = Marshal.GetLastPInvokeError();
                throw new AtomicWriteException(target, AtomicWriteStage.FlushToDisk, $"flushing the temp file to disk failed: {Marshal.GetPInvokeErrorMessage(error)} (Win32 error {error}).", null, error);
            }

            return;
        }

        int errno = TryFlushFile(handle);
        if (errno != 0)
        {
            throw new AtomicWriteException(target, AtomicWriteStage.FlushToDisk, $"flushing the temp file to disk (fsync) failed: {Libc.Describe(errno)}.", null, errno);
        }
    }

    /// <summary>
    /// Flushes a file's data and size to the device: 0, or the error (errno; a Win32 error on Windows, see
    /// <see cref="Describe"/>). The caller must not retry a failure: the kernel may have dropped what it could not write.
    /// </summary>
    public static int TryFlushFile(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows())
        {
            return Kernel32.FlushFileBuffers(handle) ? 0 : Marshal.GetLastPInvokeError();
        }

        return Posix.WithDescriptor<int>(handle, OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() ? FullFsync : Fsync);
    }

    /// <summary>An error number of this OS (errno, or a Win32 error on Windows) in words.</summary>
    public static string Describe(int error) =>
        OperatingSystem.IsWindows() ? $"{Marshal.GetPInvokeErrorMessage(error)} (Win32 error {error})" : Libc.Describe(error);

    /// <summary>Turns the exclusive flock a writer holds on its temp into a shared one, best effort.</summary>
    public static void DowngradeLock(SafeFileHandle handle)
    {
        // Best effort. If the conversion fails, the exclusive lock stays (readers of the renamed file may then see
        // a brief sharing violation). Where a kernel drops the old lock before taking the new one, a sweep could
        // slip in and delete the temp: the rename then fails with ENOENT and the save fails cleanly, target intact.
        _ = Posix.WithDescriptor(handle, static fd => Libc.Flock(fd, Libc.LOCK_SH | Libc.LOCK_NB));
    }

    /// <summary>Renames <paramref name="temp"/> over <paramref name="target"/> atomically, or throws before anything changed.</summary>
    public static void Replace(string temp, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            ReplaceWindows(temp, target);
            return;
        }

        if (Libc.Rename(temp, target) == 0)
        {
            return;
        }

        int errno = Marshal.GetLastPInvokeError();
        string reason = errno switch
        {
            Libc.EXDEV => "the temp file and the target are on different file systems (EXDEV), so no atomic rename is possible. The write is never degraded to a copy: store the file in a folder that is a single file system.",
            // Linux answers a rename over a mount point with EBUSY, not EXDEV.
            Libc.EBUSY => "the target is a mount point (a single-file bind mount, for example), which no rename can replace (EBUSY). The write is never degraded to an in-place copy: mount the folder, not the file.",
            // A folder made in its place after AtomicWrite.Begin looked (EISDIR on Linux and macOS).
            Libc.EISDIR => DurableFolders.FolderInPlaceOf(target),
            _ => $"renaming the temp file over it failed: {Libc.Describe(errno)}.",
        };
        throw new AtomicWriteException(target, AtomicWriteStage.Replace, reason, null, errno);
    }

    /// <summary>Gives <paramref name="existing"/> a second name; false where the file system cannot (then copy instead).</summary>
    public static bool TryHardLink(string existing, string newPath) =>
        OperatingSystem.IsWindows()
            ? Kernel32.CreateHardLink(newPath, existing, IntPtr.Zero)
            : Libc.Link(existing, newPath) == 0;

    /// <summary>Flushes a folder so that a rename inside it survives a power cut.</summary>
    /// <returns>0 on success (or where the file system cannot flush folders), else the errno.</returns>
    public static int FlushDirectory(string directory)
    {
        // Windows has no folder fsync; MOVEFILE_WRITE_THROUGH made the rename durable already.
        if (OperatingSystem.IsWindows())
        {
            return 0;
        }

        int fd;
        do
        {
            fd = Libc.Open(directory, Libc.O_RDONLY | Libc.OCloexec);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);

        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        try
        {
            int errno = Fsync(fd);
            // Some file systems (certain network and FUSE mounts) cannot flush a folder at all and say so with
            // EINVAL/ENOTSUP; there is nothing more durable to be had there, so that is not a failure.
            return errno is Libc.EINVAL or Libc.EOPNOTSUPP_LINUX or Libc.ENOTSUP_MAC ? 0 : errno;
        }
        finally
        {
            Libc.Close(fd);
        }
    }

    private static int Fsync(int fd)
    {
        while (true)
        {
            if (Libc.FSync(fd) == 0)
            {
                return 0;
            }

            int errno = Marshal.GetLastPInvokeError();
            // EINTR means the call was interrupted before it ran, not that data was lost: asking again is safe.
            if (errno != Libc.EINTR)
            {
                return errno;
            }
        }
    }

    private static int FullFsync(int fd)
    {
        // macOS fsync only reaches the drive's cache; F_FULLFSYNC asks the drive to flush it. File systems that
        // cannot do it answer ENOTSUP/EINVAL/ENOTTY, and plain fsync is the best they offer.
        if (Libc.Fcntl(fd, Libc.F_FULLFSYNC_MAC) != -1)
        {
            return 0;
        }

        int errno = Marshal.GetLastPInvokeError();
        return errno is Libc.ENOTSUP_MAC or Libc.EINVAL or Libc.ENOTTY ? Fsync(fd) : errno;
    }

    private static void ReplaceWindows(string temp, string target)
    {
        // Antivirus scanners and indexers open fresh files briefly; a sharing violation is worth a few more tries,
        // with jitter so that competing writers do not retry in lockstep.
        const int attempts = 10;
        for (int attempt = 1; ; attempt++)
        {
            if (Kernel32.MoveFileEx(temp, target, Kernel32.MOVEFILE_REPLACE_EXISTING | Kernel32.MOVEFILE_WRITE_THROUGH))
            {
                return;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error == Kernel32.ERROR_ACCESS_DENIED && Directory.Exists(target))
            {
                // Windows answers a folder in the target's place with ACCESS_DENIED, which no retry changes.
                throw new AtomicWriteException(target, AtomicWriteStage.Replace, DurableFolders.FolderInPlaceOf(target), null, error);
            }

            bool transient = error is Kernel32.ERROR_SHARING_VIOLATION or Kernel32.ERROR_LOCK_VIOLATION or Kernel32.ERROR_ACCESS_DENIED;
            if (!transient || attempt == attempts)
            {
                string reason = error == Kernel32.ERROR_NOT_SAME_DEVICE
                    ? "the temp file and the target are on different volumes, so no atomic rename is possible. The write is never degraded to a copy."
                    : $"replacing it failed: {Marshal.GetPInvokeErrorMessage(error)} (Win32 error {error}).";
                throw new AtomicWriteException(target, AtomicWriteStage.Replace, reason, null, error);
            }

            Thread.Sleep(Random.Shared.Next(5, 20) * attempt);
        }
    }
}
