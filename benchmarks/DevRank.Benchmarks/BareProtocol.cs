using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.Benchmarks;

/// <summary>
/// The floor: the durable-replace protocol with nothing around it, straight libc calls on pre-serialised bytes:
/// open(temp, O_CREAT|O_EXCL) → write → fsync → close → rename → open(folder) → fsync → close. No symlink
/// resolution, no mode copy, no temp lock, no sweep, no error translation beyond "throw on failure".
/// Linux x64 only (the flag values below).
/// </summary>
internal static unsafe partial class BareProtocol
{
    private const int O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0x40, O_EXCL = 0x80, O_CLOEXEC = 0x80000;

    public static void Write(string tempPath, string target, string directory, ReadOnlySpan<byte> bytes, bool durable = true, bool flushFolder = true)
    {
        int fd = Check(Open(tempPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 420 /* 0644 */));
        fixed (byte* start = bytes)
        {
            long done = 0;
            while (done < bytes.Length)
            {
                long n = Check(Write(fd, start + done, bytes.Length - done));
                done += n;
            }
        }

        if (durable)
        {
            Check(FSync(fd));
        }

        Check(Close(fd));
        Check(Rename(tempPath, target));
        if (durable && flushFolder)
        {
            int dfd = Check(Open(directory, O_RDONLY | O_CLOEXEC, 0));
            Check(FSync(dfd));
            Check(Close(dfd));
        }
    }

    /// <summary>(b) as most hand-written fixes do it, at its best: serialise into a temp stream, rename, no fsync.</summary>
    public static void TempRenameNoFsync<T>(string tempPath, string target, T value, JsonTypeInfo<T> typeInfo)
    {
        using (var stream = new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 16 * 1024))
        {
            JsonSerializer.Serialize(stream, value, typeInfo);
        }

        File.Move(tempPath, target, overwrite: true);
    }

    /// <summary>sync(2): every dirty page of every file system to its device.</summary>
    public static void Sync() => SyncAll();

    private static long Check(long result) => result >= 0 ? result : throw new Win32Exception(Marshal.GetLastPInvokeError());

    private static int Check(int result) => result >= 0 ? result : throw new Win32Exception(Marshal.GetLastPInvokeError());

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial long Write(int fd, byte* buffer, long count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "sync")]
    private static partial void SyncAll();

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Rename(string oldPath, string newPath);
}
