using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// The update lock of one store file: a <see cref="StoreGate"/> for the threads of this process, then an exclusive lock on
/// <c>.&lt;name&gt;.lock</c> beside the file for other processes. .NET takes that lock with <c>flock</c> on Unix
/// (<see cref="FileShare.None"/>), so the kernel releases it when a holder dies, even by <c>kill -9</c>.
/// The lock file itself stays: deleting it would let two processes lock two different files of one name.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, StoreGate> Gates = new(StringComparer.Ordinal);

    private readonly StoreGate _gate;
    private SafeFileHandle? _file;

    private StoreLock(StoreGate gate, SafeFileHandle file)
    {
        _gate = gate;
        _file = file;
    }

    /// <summary>The lock file that guards <paramref name="targetPath"/>.</summary>
    public static string LockPathFor(string targetPath) =>
        Path.Combine(Path.GetDirectoryName(targetPath)!, "." + Path.GetFileName(targetPath) + ".lock");

    public static StoreLock Acquire(string targetPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        StoreGate gate = Gates.GetOrAdd(targetPath, static _ => new StoreGate());
        string lockPath = LockPathFor(targetPath);
        if (!gate.Enter(timeout))
        {
            throw new StoreLockTimeoutException(targetPath, lockPath, timeout);
        }

        try
        {
            SafeFileHandle? file;
            for (int attempt = 0; (file = Poll(targetPath, lockPath, timeout, clock, attempt, out TimeSpan wait)) is null; attempt++)
            {
                Thread.Sleep(wait);
            }

            return new StoreLock(gate, file);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public static async ValueTask<StoreLock> AcquireAsync(string targetPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        StoreGate gate = Gates.GetOrAdd(targetPath, static _ => new StoreGate());
        string lockPath = LockPathFor(targetPath);
        if (!await gate.EnterAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreLockTimeoutException(targetPath, lockPath, timeout);
        }

        try
        {
            SafeFileHandle? file;
            for (int attempt = 0; (file = Poll(targetPath, lockPath, timeout, clock, attempt, out TimeSpan wait)) is null; attempt++)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            return new StoreLock(gate, file);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    public void Dispose()
    {
        SafeFileHandle? file = Interlocked.Exchange(ref _file, null);
        if (file is not null)
        {
            file.Dispose();
            _gate.Release();
        }
    }

    /// <summary>One try at the file lock: the handle, or null and how long to wait before the next try.</summary>
    private static SafeFileHandle? Poll(string targetPath, string lockPath, TimeSpan timeout, Stopwatch clock, int attempt, out TimeSpan wait)
    {
        wait = default;
        if (TryLockFile(targetPath, lockPath) is { } file)
        {
            return file;
        }

        wait = Backoff(attempt, timeout - clock.Elapsed);
        return wait > TimeSpan.Zero ? null : throw new StoreLockTimeoutException(targetPath, lockPath, timeout);
    }

    private static SafeFileHandle? TryLockFile(string targetPath, string lockPath)
    {
        try
        {
            return File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (IsHeldElsewhere(ex))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreLoadException(targetPath, $"The update lock '{lockPath}' of '{targetPath}' could not be opened: {ex.Message}", ex);
        }
    }

    private static bool IsHeldElsewhere(IOException ex) =>
        // Windows: ERROR_SHARING_VIOLATION. Unix: .NET reports flock's EWOULDBLOCK with the errno as HResult. Any other
        // error (ENOSPC creating the lock file, EIO, EMFILE) is a real failure, not a reason to wait.
        OperatingSystem.IsWindows()
            ? ex.HResult == unchecked((int)0x80070020)
            : ex.HResult == (OperatingSystem.IsLinux() ? Platform.Libc.EWOULDBLOCK_LINUX : Platform.Libc.EWOULDBLOCK_MAC);

    private static TimeSpan Backoff(int attempt, TimeSpan remaining)
    {
        // 1, 2, 4 … 32 ms with jitter: quick hand-over when the holder is brief, no busy loop when it is not.
        double ms = Math.Min(32, 1 << Math.Min(attempt, 5)) * (0.5 + Random.Shared.NextDouble());
        TimeSpan wait = TimeSpan.FromMilliseconds(ms);
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : (wait < remaining ? wait : remaining);
    }
}
