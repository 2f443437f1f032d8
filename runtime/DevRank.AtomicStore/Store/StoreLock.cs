using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// The update lock of one store file: a <see cref="StoreGate"/> for the threads of this process, then an exclusive lock on
/// <c>.&lt;name&gt;.lock</c> beside the file for other processes, taken with our own <c>flock(2)</c> on Unix (not
/// .NET's FileShare lock, which <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns off), so the kernel releases it when
/// a holder dies, even by <c>kill -9</c>. The lock belongs to the resolved file, not to the name given: two names
/// of one file (a symbolic link) share one lock. The lock file itself stays: deleting it would let two processes
/// lock two different files of one name.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private static readonly ConcurrentDictionary<string, StoreGate> Gates = new(StringComparer.Ordinal);

    // The locks the current thread or async flow holds, innermost first: a second Update of the same store from
    // inside the first one's change would wait for itself until the timeout.
    private static readonly AsyncLocal<Held?> HeldHere = new();

    private readonly StoreGate _gate;
    private readonly Held _held;
    private SafeFileHandle? _file;

    private StoreLock(StoreGate gate, SafeFileHandle file, Held held)
    {
        _gate = gate;
        _file = file;
        _held = held;
    }

    /// <summary>The lock file that guards <paramref name="targetPath"/> (a resolved path).</summary>
    public static string LockPathFor(string targetPath) =>
        Path.Combine(Path.GetDirectoryName(targetPath)!, "." + FileNames.Fit(Path.GetFileName(targetPath), ".".Length + ".lock".Length) + ".lock");

    /// <summary>Takes the update lock of the store file <paramref name="path"/>, blocking.</summary>
    public static StoreLock Acquire(string path, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        (string target, NewLockFile mode) = Prepare(path);
        return Acquire(target, LockPathFor(target), mode, timeout, clock);
    }

    /// <summary>
    /// The update lock of the store file <paramref name="path"/> if nobody holds it right now, else null: a
    /// transaction that would otherwise wait out of the global lock order (<c>StoreTransaction</c>).
    /// </summary>
    public static StoreLock? TryAcquire(string path)
    {
        try
        {
            return Acquire(path, TimeSpan.Zero);
        }
        catch (StoreLockTimeoutException)
        {
            return null;
        }
    }

    /// <summary>
    /// Takes a lock that guards no store file but a folder's commits (<c>StoreTransaction</c>):
    /// <paramref name="lockPath"/> is the lock file itself, created like the lock file of a new store.
    /// </summary>
    public static StoreLock AcquireFile(string lockPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string key = Path.GetFullPath(lockPath);
        ThrowIfHeldHere(key);
        StoreLock held = Acquire(key, key, new NewLockFile(Platform.Posix.NewFileMode, null), timeout, clock);
        held._held.IsCommitLock = true;
        return held;
    }

    /// <summary><see cref="AcquireFile"/> without blocking a thread; the caller calls <see cref="Flow"/> once it has the lock.</summary>
    public static async ValueTask<StoreLock> AcquireFileAsync(string lockPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string key = Path.GetFullPath(lockPath);
        ThrowIfHeldHere(key);
        StoreGate gate = Gates.GetOrAdd(key, static _ => new StoreGate());
        if (!await gate.EnterAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreLockTimeoutException(key, key, timeout);
        }

        try
        {
            var mode = new NewLockFile(Platform.Posix.NewFileMode, null);
            SafeFileHandle? file;
            for (int attempt = 0; (file = Poll(key, key, mode, timeout, clock, attempt, out TimeSpan wait)) is null; attempt++)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            return new StoreLock(gate, file, new Held(key, HeldHere.Value) { IsCommitLock = true });
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private static StoreLock Acquire(string target, string lockPath, NewLockFile mode, TimeSpan timeout, Stopwatch clock)
    {
        StoreGate gate = Gates.GetOrAdd(target, static _ => new StoreGate());
        if (!gate.Enter(timeout))
        {
            throw new StoreLockTimeoutException(target, lockPath, timeout);
        }

        try
        {
            SafeFileHandle? file;
            for (int attempt = 0; (file = Poll(target, lockPath, mode, timeout, clock, attempt, out TimeSpan wait)) is null; attempt++)
            {
                Thread.Sleep(wait);
            }

            var held = new StoreLock(gate, file, new Held(target, HeldHere.Value));
            held.Flow();
            return held;
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>
    /// Takes the update lock without blocking a thread. An async method cannot change its caller's flow: the caller
    /// calls <see cref="Flow"/> once it has the lock, so that code it then runs knows the lock is held.
    /// </summary>
    public static async ValueTask<StoreLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        (string target, NewLockFile mode) = Prepare(path);
        StoreGate gate = Gates.GetOrAdd(target, static _ => new StoreGate());
        string lockPath = LockPathFor(target);
        if (!await gate.EnterAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            throw new StoreLockTimeoutException(target, lockPath, timeout);
        }

        try
        {
            SafeFileHandle? file;
            for (int attempt = 0; (file = Poll(target, lockPath, mode, timeout, clock, attempt, out TimeSpan wait)) is null; attempt++)
            {
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
            }

            return new StoreLock(gate, file, new Held(target, HeldHere.Value));
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    /// <summary>
    /// True when this thread holds the lock of the store file <paramref name="path"/>: it runs inside an update's change
    /// (or another holder's work). Costs nothing when this flow holds no lock at all.
    /// </summary>
    public static bool IsHeldByThisThread(string path)
    {
        if (HeldHere.Value is null)
        {
            return false;
        }

        try
        {
            return HeldByThisThread(TargetPath.Resolve(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Acquire reports the path's problem; it cannot be a lock this thread took.
            return false;
        }
    }

    // Only the holder's own thread: a task the change started inherits this flow too, but it can simply wait for the
    // lock (the change may not be waiting for it), so it is not re-entry.
    private static bool HeldByThisThread(string target)
    {
        for (Held? held = HeldHere.Value; held is not null; held = held.Outer)
        {
            if (!held.Released && held.Key == target && held.Thread == Environment.CurrentManagedThreadId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Marks the lock as held by the current thread or async flow (and what it calls).</summary>
    public void Flow()
    {
        _held.Thread = Environment.CurrentManagedThreadId;
        HeldHere.Value = _held;
    }

    public void Dispose()
    {
        SafeFileHandle? file = Interlocked.Exchange(ref _file, null);
        if (file is not null)
        {
            // Tasks started under the lock keep this flow's value: mark it released rather than rely on the reset.
            _held.Released = true;
            if (ReferenceEquals(HeldHere.Value, _held))
            {
                HeldHere.Value = _held.Outer;
            }

            file.Dispose();
            _gate.Release();
        }
    }

    /// <summary>
    /// The resolved store file and the mode for a new lock file: the store file's read and write bits, so that
    /// nobody who may not read the store can hold its lock (whoever can open the lock file can flock it).
    /// </summary>
    private static (string Target, NewLockFile Mode) Prepare(string path)
    {
        string target;
        Platform.Posix.FileStat? existing;
        try
        {
            target = TargetPath.Resolve(path, out existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreLoadException(path, $"The store file '{path}' could not be locked for an update: {ex.Message}", ex);
        }

        ThrowIfHeldHere(target);
        ThrowIfCommitLockHeldHere(target);
        return (target, existing is { } file
            ? new NewLockFile(file.Permissions & Platform.Posix.NewFileMode, file)
            : new NewLockFile(Platform.Posix.NewFileMode, null));
    }

    private static void ThrowIfHeldHere(string target)
    {
        if (HeldByThisThread(target))
        {
            throw new LockRecursionException(
                $"The update lock of '{target}' is already held by this thread or async flow: an Update (or RestoreBackup, Quarantine) of a store was called from inside an Update of the same store (or a transaction that holds it), and would wait for itself. Return the new value from the change instead; a plain Save inside the change is allowed.");
        }
    }

    /// <summary>
    /// A store lock is never waited for while the same thread holds a folder's commit lock (a read snapshot): commits
    /// take store locks first and the commit lock last, so the reverse order could deadlock with one of them.
    /// </summary>
    private static void ThrowIfCommitLockHeldHere(string target)
    {
        for (Held? held = HeldHere.Value; held is not null; held = held.Outer)
        {
            if (!held.Released && held.IsCommitLock && held.Thread == Environment.CurrentManagedThreadId)
            {
                throw new InvalidOperationException(
                    $"The lock of the store '{target}' cannot be taken while this thread holds the commit lock '{held.Key}' (a StoreTransaction.Read snapshot is open): commits take store locks before the commit lock, and waiting the other way round could deadlock. Dispose the snapshot first.");
            }
        }
    }

    /// <summary>One try at the file lock: the handle, or null and how long to wait before the next try.</summary>
    private static SafeFileHandle? Poll(string targetPath, string lockPath, NewLockFile mode, TimeSpan timeout, Stopwatch clock, int attempt, out TimeSpan wait)
    {
        wait = default;
        if (TryLockFile(targetPath, lockPath, mode) is { } file)
        {
            return file;
        }

        wait = Backoff(attempt, timeout - clock.Elapsed);
        return wait > TimeSpan.Zero ? null : throw new StoreLockTimeoutException(targetPath, lockPath, timeout);
    }

    private static SafeFileHandle? TryLockFile(string targetPath, string lockPath, NewLockFile mode)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                return File.OpenHandle(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }

            // Never through a planted link (root would create or lock its target), never blocking on a planted FIFO.
            SafeFileHandle file = Platform.Posix.OpenOrCreateRegular(lockPath, mode.Permissions, out bool created);
            int errno;
            try
            {
                if (created && mode.Owner is { } store)
                {
                    // Root creating the lock of another user's store: give it to the store's owner, or they could never
                    // open it again.
                    Platform.Posix.TakeOwnerAndMode(file, store with { Mode = (uint)mode.Permissions }, lockPath);
                }

                errno = Platform.Posix.Flock(file, Platform.Libc.LOCK_EX | Platform.Libc.LOCK_NB);
            }
            catch
            {
                file.Dispose();
                throw;
            }

            if (errno == 0)
            {
                return file;
            }

            file.Dispose();
            return errno == Platform.Libc.EWOULDBLOCK ? null : throw Platform.Posix.Error(errno, lockPath, "locking");
        }
        catch (IOException ex) when (OperatingSystem.IsWindows() && IsHeldElsewhere(ex))
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreLoadException(targetPath, $"The update lock '{lockPath}' of '{targetPath}' could not be opened: {ex.Message}", ex);
        }
    }

    // ERROR_SHARING_VIOLATION. Any other error (ENOSPC creating the lock file, EIO, EMFILE) is a real failure, not a
    // reason to wait.
    private static bool IsHeldElsewhere(IOException ex) => ex.HResult == unchecked((int)0x80070020);

    private static TimeSpan Backoff(int attempt, TimeSpan remaining)
    {
        // 1, 2, 4 … 32 ms with jitter: quick hand-over when the holder is brief, no busy loop when it is not.
        double ms = Math.Min(32, 1 << Math.Min(attempt, 5)) * (0.5 + Random.Shared.NextDouble());
        TimeSpan wait = TimeSpan.FromMilliseconds(ms);
        return remaining <= TimeSpan.Zero ? TimeSpan.Zero : (wait < remaining ? wait : remaining);
    }

    /// <summary>One lock held by a thread or async flow.</summary>
    private sealed class Held(string key, Held? outer)
    {
        public string Key { get; } = key;

        public Held? Outer { get; } = outer;

        public volatile bool Released;

        /// <summary>A folder's commit lock (<see cref="AcquireFile"/>), not a store's.</summary>
        public bool IsCommitLock;

        /// <summary>The thread that runs the holder's change (the one that called <see cref="Flow"/>).</summary>
        public int Thread;
    }

    /// <summary>The mode of a new lock file, and the store file whose owner it takes (null for a new store).</summary>
    private readonly record struct NewLockFile(UnixFileMode Permissions, Platform.Posix.FileStat? Owner);
}
