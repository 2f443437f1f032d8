using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace DevRank.AtomicStore;

/// <summary>
/// All or nothing across the stores of one folder: every store saved or updated in the transaction gets its new
/// content, or none does, after a crash or a power cut at any instant. Each store's lock is taken at its first touch
/// and held until the transaction ends, so what the transaction loads stays what is on disk, and no other update or
/// transaction of those stores can come in between. <see cref="Commit()"/> makes it durable; disposing without committing
/// leaves every file as it was.
/// </summary>
/// <remarks>
/// <para>
/// The commit is a redo journal (docs/runtime.md, "Transactions"): every new content goes to a flushed temp beside its
/// store file; an intent record that names each temp and its target is written, flushed and renamed into place as
/// <c>.devrank-commit.journal</c>; from then on the commit is decided. Each temp is renamed over its store, the folders
/// are flushed, the journal removed. A crash after the record leaves it behind, and whoever next saves, updates, reads
/// through <see cref="Read"/> or begins a transaction in the folder rolls the commit forward first, reporting it
/// (<see cref="Recovered"/>); a crash before it leaves only temps, which are removed.
/// </para>
/// <para>
/// Locks are taken in the ordinal order of the stores' resolved paths whenever the transaction would have to wait; a
/// store touched out of that order while someone holds it makes the transaction let go of its later locks and take them
/// back (see <see cref="StoreTransactionConflictException"/>), so two transactions never deadlock whatever order their
/// code touches stores in. Values handed to <see cref="Save{T}"/> or returned by an update must not be changed until
/// the commit returns. One thread at a time.
/// </para>
/// </remarks>
public sealed class StoreTransaction : IDisposable, IAsyncDisposable
{
    // Transaction temps of a store are looked for once per process, the first time a transaction locks it.
    private static readonly ConcurrentDictionary<string, bool> Swept = new(StringComparer.Ordinal);

    private const int RunAttempts = 8;

    private readonly Dictionary<object, TransactionEntry> _byStore = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, TransactionEntry> _byKey = new(StringComparer.Ordinal);

    // Every store file the transaction tried to lock, held or not: what a retried Run locks up front.
    private readonly HashSet<string> _touched = new(StringComparer.Ordinal);
    private readonly TransactionLocks _locks;
    private readonly string _root;
    private State _state;

    private StoreTransaction(string folder, TimeSpan lockTimeout)
    {
        Folder = folder;
        LockTimeout = lockTimeout;
        _root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        _locks = new TransactionLocks(lockTimeout);
    }

    private enum State
    {
        Open,
        Committed,
        Failed,
        Disposed,
    }

    /// <summary>
    /// Raised after every recovery in any folder, by whichever call made it: a commit that a crash interrupted was
    /// finished, or temps of a commit that never happened were removed. Handlers run on the thread of that call (a
    /// save, an update, a transaction) and should not throw.
    /// </summary>
    public static event EventHandler<StoreRecovery>? Recovered;

    /// <summary>The store folder.</summary>
    public string Folder { get; }

    /// <summary>How long the transaction waits for each store's lock and for the folder's commit lock.</summary>
    public TimeSpan LockTimeout { get; }

    /// <summary>
    /// Begins a transaction over stores of <paramref name="folder"/>, after finishing any commit that a crash interrupted
    /// there. Takes no store lock yet: each store's is taken at its first touch.
    /// </summary>
    /// <param name="folder">The store folder; every store of the transaction is a file in it (or in its sub-folders).</param>
    /// <param name="lockTimeout">How long to wait for each lock; 30 s when null.</param>
    /// <returns>The transaction; dispose it.</returns>
    /// <exception cref="StoreJournalException">An interrupted commit in the folder cannot be finished.</exception>
    /// <exception cref="StoreLockTimeoutException">The folder's commit lock was not free in time.</exception>
    public static StoreTransaction Begin(string folder, TimeSpan? lockTimeout = null)
    {
        TimeSpan timeout = Timeout(folder, lockTimeout);
        CommitJournal.FinishInterrupted(folder, timeout);
        return new StoreTransaction(folder, timeout);
    }

    /// <summary>
    /// <see cref="Begin"/>, waiting for the folder's commit lock (only needed when an interrupted commit must be
    /// finished) without blocking a thread.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="lockTimeout">How long to wait for each lock; 30 s when null.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The transaction; dispose it.</returns>
    /// <exception cref="StoreJournalException">An interrupted commit in the folder cannot be finished.</exception>
    /// <exception cref="StoreLockTimeoutException">The folder's commit lock was not free in time.</exception>
    public static async ValueTask<StoreTransaction> BeginAsync(string folder, TimeSpan? lockTimeout = null, CancellationToken cancellationToken = default)
    {
        TimeSpan timeout = Timeout(folder, lockTimeout);
        await CommitJournal.FinishInterruptedAsync(folder, timeout, cancellationToken).ConfigureAwait(false);
        return new StoreTransaction(folder, timeout);
    }

    /// <summary>
    /// Runs <paramref name="body"/> in a transaction and commits it. If the transaction meets a
    /// <see cref="StoreTransactionConflictException"/>, it runs again with every store the failed attempt touched locked
    /// up front, in order, so that it cannot conflict over those again; up to 8 attempts. The body may therefore run
    /// more than once: keep it free of effects outside the transaction.
    /// </summary>
    /// <typeparam name="TResult">What the body returns.</typeparam>
    /// <param name="folder">The store folder.</param>
    /// <param name="body">Loads, saves and updates stores through the transaction it is given.</param>
    /// <param name="lockTimeout">How long to wait for each lock; 30 s when null.</param>
    /// <returns>What the body returned, once its commit is durable.</returns>
    public static TResult Run<TResult>(string folder, Func<StoreTransaction, TResult> body, TimeSpan? lockTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        string[] known = [];
        for (int attempt = 1; ; attempt++)
        {
            using StoreTransaction transaction = Begin(folder, lockTimeout);
            try
            {
                transaction.LockInOrder(known);
                TResult result = body(transaction);
                if (transaction._state == State.Open)
                {
                    transaction.Commit();
                }

                return result;
            }
            catch (StoreTransactionConflictException) when (attempt < RunAttempts)
            {
                // Including the store whose lock the conflict came from, which the failed attempt never held.
                known = [.. transaction._touched];
            }
        }
    }

    /// <summary><see cref="Run{TResult}"/> for a body that returns nothing.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="body">Loads, saves and updates stores through the transaction it is given.</param>
    /// <param name="lockTimeout">How long to wait for each lock; 30 s when null.</param>
    public static void Run(string folder, Action<StoreTransaction> body, TimeSpan? lockTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        Run(folder, transaction =>
        {
            body(transaction);
            return true;
        }, lockTimeout);
    }

    /// <summary>
    /// Opens a consistent read of the stores of <paramref name="folder"/>: one committed state, never part of one commit
    /// and part of another. Finishes any commit that a crash interrupted first. Dispose it soon: commits of several
    /// stores of the folder wait for it.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="lockTimeout">How long to wait for the folder's commit lock; 30 s when null.</param>
    /// <returns>The snapshot; dispose it.</returns>
    /// <exception cref="StoreJournalException">An interrupted commit in the folder cannot be finished.</exception>
    /// <exception cref="StoreLockTimeoutException">The commit lock was not free in time.</exception>
    public static StoreSnapshot Read(string folder, TimeSpan? lockTimeout = null)
    {
        TimeSpan timeout = Timeout(folder, lockTimeout);
        if (!Directory.Exists(folder))
        {
            // Nothing to lock and nothing to read: a folder a commit creates later is not part of this snapshot.
            return new StoreSnapshot(folder, null);
        }

        StoreLock held = StoreLock.AcquireFile(CommitJournal.LockPathIn(folder), timeout);
        try
        {
            Report(CommitJournal.RecoverLocked(folder));
            return new StoreSnapshot(folder, held);
        }
        catch
        {
            held.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Finishes, now, a commit that a crash interrupted in <paramref name="folder"/>, and removes the temps of commits
    /// that never happened (in the folder and its sub-folders). Saves, updates, reads and transactions do the former by
    /// themselves; call this at start-up to have it done, and reported, before anything else.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="lockTimeout">How long to wait for the folder's commit lock; 30 s when null.</param>
    /// <returns>What was done; null when there was nothing to do.</returns>
    /// <exception cref="StoreJournalException">The journal is damaged or untrusted, or its commit cannot be completed; it was left as it is.</exception>
    /// <exception cref="StoreLockTimeoutException">The commit lock was not free in time.</exception>
    public static StoreRecovery? Recover(string folder, TimeSpan? lockTimeout = null)
    {
        TimeSpan timeout = Timeout(folder, lockTimeout);
        if (!Directory.Exists(folder))
        {
            return null;
        }

        using StoreLock held = StoreLock.AcquireFile(CommitJournal.LockPathIn(folder), timeout);
        StoreRecovery? finished = CommitJournal.RecoverLocked(folder);
        // Under the commit lock with no journal left, a transaction temp nobody holds belongs to a commit that never
        // wrote its journal: a live one holds its temps locked, and cannot write a journal while we hold the lock.
        var discarded = new List<string>();
        string unfinished = Path.Combine(folder, CommitJournal.NewFileName);
        if (File.Exists(unfinished))
        {
            // A record whose commit died before renaming it into place: that commit never happened.
            File.Delete(unfinished);
            discarded.Add(Path.GetFullPath(unfinished));
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true };
        foreach (string candidate in Directory.EnumerateFiles(folder, "*" + TempFiles.TransactionSuffix, options))
        {
            if (TempFiles.IsTransactionTemp(Path.GetFileName(candidate)) && TempFiles.DeleteIfDead(candidate))
            {
                discarded.Add(Path.GetFullPath(candidate));
            }
        }

        StoreRecovery? recovery = (finished, discarded.Count) switch
        {
            (null, 0) => null,
            (null, _) => new StoreRecovery(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)), null, null, [], [], discarded),
            _ => new StoreRecovery(finished.Folder, finished.JournalPath, finished.TransactionId, finished.RolledForward, finished.AlreadyInPlace, discarded),
        };
        Report(recovery);
        return recovery;
    }

    /// <summary>Loads a store: the value this transaction saved or updated it to, else the file, under the store's lock.</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <returns>The document.</returns>
    /// <exception cref="StoreNotFoundException">The file does not exist.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    /// <exception cref="StoreLockTimeoutException">The store's lock was not free in time.</exception>
    /// <exception cref="StoreTransactionConflictException">See the type; the transaction is over.</exception>
    public T Load<T>()
        where T : IAtomicStore<T>
    {
        TransactionEntry entry = Touch<T>();
        if (entry.Pending is PendingValue<T> pending)
        {
            return pending.Value;
        }

        entry.WasRead = true;
        return T.Store.Load(Folder);
    }

    /// <summary>Loads a store if its file exists (or this transaction saved it), under the store's lock.</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <param name="value">The document, when the method returns true.</param>
    /// <returns>False only when the file does not exist and the transaction has not saved the store.</returns>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    /// <exception cref="StoreLockTimeoutException">The store's lock was not free in time.</exception>
    /// <exception cref="StoreTransactionConflictException">See the type; the transaction is over.</exception>
    /// <remarks>Name the store type, <c>TryLoad&lt;Users&gt;(out var users)</c>: from <c>out Users? users</c> the compiler would infer the nullable type, which is not the store type.</remarks>
    public bool TryLoad<T>([MaybeNullWhen(false)] out T value)
        where T : IAtomicStore<T>
    {
        TransactionEntry entry = Touch<T>();
        if (entry.Pending is PendingValue<T> pending)
        {
            value = pending.Value;
            return true;
        }

        entry.WasRead = true;
        return T.Store.TryLoad(Folder, out value);
    }

    /// <summary>Makes <paramref name="value"/> the store's content when the transaction commits. Takes the store's lock.</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <param name="value">The new content; do not change it until the commit returns.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null, which no load accepts.</exception>
    /// <exception cref="StoreLockTimeoutException">The store's lock was not free in time.</exception>
    /// <exception cref="StoreTransactionConflictException">See the type; the transaction is over.</exception>
    public void Save<T>(T value)
        where T : IAtomicStore<T>
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value), "A store cannot save null: the file would hold null, which every later load rejects.");
        }

        Touch<T>().Pending = new PendingValue<T>(T.Store, value);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the store's current value (what this transaction saved or updated it to,
    /// else the file, read under the store's lock) and makes the result its content when the transaction commits.
    /// </summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <param name="change">Returns the new document from the current one.</param>
    /// <param name="create">Makes the starting document when the file does not exist; when null, a missing file throws.</param>
    /// <returns>The new document; do not change it until the commit returns.</returns>
    /// <exception cref="StoreNotFoundException">The file does not exist and <paramref name="create"/> is null.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; nothing is changed.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> returned null; nothing is changed.</exception>
    /// <exception cref="StoreLockTimeoutException">The store's lock was not free in time.</exception>
    /// <exception cref="StoreTransactionConflictException">See the type; the transaction is over.</exception>
    public T Update<T>(Func<T, T> change, Func<T>? create = null)
        where T : IAtomicStore<T>
    {
        ArgumentNullException.ThrowIfNull(change);
        TransactionEntry entry = Touch<T>();
        T current;
        if (entry.Pending is PendingValue<T> pending)
        {
            current = pending.Value;
        }
        else
        {
            entry.WasRead = true;
            current = T.Store.TryLoad(Folder, out T? loaded) ? loaded
                : create is not null ? create() : throw new StoreNotFoundException(T.Store.GetPath(Folder));
        }

        T next = change(current);
        if (next is null)
        {
            throw new ArgumentNullException(nameof(change), "The update's change returned null: the file would hold null, which every later load rejects. Nothing was changed.");
        }

        entry.Pending = new PendingValue<T>(T.Store, next);
        return next;
    }

    /// <summary>
    /// Makes every save and update of the transaction durable, all of them or none, and releases the stores' locks.
    /// A transaction that changed one store commits it as a plain save does; one that changed none just ends.
    /// </summary>
    /// <exception cref="AtomicWriteException">The commit failed before it was decided: no store changed.</exception>
    /// <exception cref="StoreCommitIncompleteException">The commit was decided but a store could not be renamed yet; recovery completes it.</exception>
    /// <exception cref="DurabilityUnknownException">Every store has its new content, but a folder flush failed; recovery completes the commit's durability bookkeeping.</exception>
    /// <exception cref="StoreLockTimeoutException">The folder's commit lock was not free in time: no store changed.</exception>
    /// <exception cref="InvalidOperationException">The transaction was already committed, failed or disposed.</exception>
    public void Commit() => CommitCore(CancellationToken.None);

    /// <summary><see cref="Commit()"/> with the writing and flushing on the thread pool (there is no asynchronous fsync).</summary>
    /// <param name="cancellationToken">Cancels the commit before it is decided; after that, the commit completes.</param>
    /// <returns>A task that completes when the commit is durable.</returns>
    /// <exception cref="OperationCanceledException">Cancelled before the commit was decided: no store changed.</exception>
    public Task CommitAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Run(() => CommitCore(cancellationToken), CancellationToken.None);
    }

    /// <summary>Ends the transaction; without a commit, no store changes.</summary>
    public void Dispose()
    {
        if (_state == State.Open)
        {
            _state = State.Disposed;
        }

        _locks.ReleaseAll();
    }

    /// <summary>Ends the transaction; without a commit, no store changes.</summary>
    /// <returns>A completed task.</returns>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reports a recovery: <see cref="Recovered"/> and a warning on <see cref="Trace"/>.</summary>
    internal static void Report(StoreRecovery? recovery)
    {
        if (recovery is null)
        {
            return;
        }

        Trace.TraceWarning(recovery.ToString());
        Recovered?.Invoke(null, recovery);
    }

    private static string Describe(State state) => state switch
    {
        State.Committed => "committed",
        State.Failed => "over after a failure",
        _ => "disposed",
    };

    private static TimeSpan Timeout(string folder, TimeSpan? lockTimeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        TimeSpan timeout = lockTimeout ?? TimeSpan.FromMilliseconds(StoreDefaults.LockTimeoutMilliseconds);
        return timeout >= TimeSpan.Zero ? timeout : throw new ArgumentOutOfRangeException(nameof(lockTimeout), lockTimeout, "The lock timeout cannot be negative.");
    }

    private void CommitCore(CancellationToken cancellationToken)
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException($"The transaction over '{Folder}' is {Describe(_state)}: it can be committed only once, and not after it failed.");
        }

        _state = State.Failed; // until it succeeds
        var writes = new List<(TransactionEntry Entry, AtomicWrite Write)>();
        bool decided = false;
        try
        {
            foreach (TransactionEntry entry in _byKey.Values.Where(e => e.Pending is not null).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                writes.Add((entry, entry.Pending!.WriteTemp(entry.Key)));
            }

            // A folder another thread of this process is creating must be in its parent before anything depends on it.
            AwaitFolders(writes.Select(w => w.Write.Target), decided: false);
            cancellationToken.ThrowIfCancellationRequested();
            if (writes.Count == 1)
            {
                // One store: its rename is atomic by itself, and the plain durable replace is the whole commit.
                writes[0].Write.RenameOverTarget();
                decided = true;
                writes[0].Write.FlushFolder();
            }
            else if (writes.Count > 1)
            {
                CommitAll(writes, () => decided = true, cancellationToken);
            }

            _state = State.Committed;
        }
        finally
        {
            foreach ((_, AtomicWrite write) in writes)
            {
                if (decided)
                {
                    // A decided commit's temps belong to its journal: recovery renames those still there.
                    write.KeepTemp();
                }

                write.Dispose();
            }

            _locks.ReleaseAll();
        }
    }

    /// <summary>The journal protocol for several stores: flush, record, flush, rename each, flush each folder, remove the record.</summary>
    private void CommitAll(List<(TransactionEntry Entry, AtomicWrite Write)> writes, Action decided, CancellationToken cancellationToken)
    {
        string journal = CommitJournal.PathIn(Folder);
        // The temps' names must be durable before a journal that names them can be: their folders are flushed first,
        // except the journal's own, which is flushed once the journal is in it.
        CommitJournal.FlushTempFolders(writes.Select(w => w.Write.TempPath).Where(t => Path.GetDirectoryName(t) != _root));
        using StoreLock commitLock = StoreLock.AcquireFile(CommitJournal.LockPathIn(Folder), LockTimeout);
        cancellationToken.ThrowIfCancellationRequested();
        string id = Random.Shared.NextInt64().ToString("x16", CultureInfo.InvariantCulture);
        var record = new CommitRecord(id, [.. writes.Select(w => new CommitEntry(w.Entry.Target, Path.GetFileName(w.Write.TempPath)))]);
        CommitJournal.Write(Folder, record);
        decided();

        foreach ((TransactionEntry entry, AtomicWrite write) in writes)
        {
            try
            {
                write.RenameOverTarget();
            }
            catch (AtomicWriteException ex)
            {
                throw new StoreCommitIncompleteException(entry.Key, journal, ex);
            }
        }

        CommitJournal.FlushFolders(writes.Select(w => w.Write.Target));
        // Not flushed: a journal that a power cut brings back names only temps that are gone, and renames nothing.
        CommitJournal.Remove(journal, flush: false);
    }

    /// <summary>Waits for folders of this process still being created (see <see cref="DurableFolders"/>).</summary>
    private static void AwaitFolders(IEnumerable<string> targets, bool decided)
    {
        foreach (string folder in targets.Select(t => Path.GetDirectoryName(t)!).Distinct(StringComparer.Ordinal))
        {
            try
            {
                DurableFolders.AwaitCreations(folder);
            }
            catch (FolderException ex)
            {
                throw decided
                    ? new DurabilityUnknownException(folder, ex.Message, ex.NativeErrorCode)
                    : new AtomicWriteException(folder, AtomicWriteStage.CreateFolder, $"{ex.Message}; the transaction did not commit and no store was changed.", ex.InnerException, ex.NativeErrorCode);
            }
        }
    }

    /// <summary>Locks <paramref name="keys"/> (resolved store files) in order, before the body of a retried <see cref="Run{TResult}"/> touches them.</summary>
    private void LockInOrder(string[] keys)
    {
        foreach (string key in keys.Order(StringComparer.Ordinal))
        {
            Lock(new TransactionEntry(key, Relative(key)));
        }
    }

    /// <summary>The entry of <typeparamref name="T"/>'s store, locked (and its folder recovered) at the first touch.</summary>
    private TransactionEntry Touch<T>()
        where T : IAtomicStore<T>
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException($"The transaction over '{Folder}' is {Describe(_state)}: begin a new one.");
        }

        FileStore<T> store = T.Store;
        if (_byStore.TryGetValue(store, out TransactionEntry? entry))
        {
            return entry;
        }

        string path = store.GetPath(Folder);
        string key;
        try
        {
            key = TargetPath.Resolve(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreLoadException(path, $"The store file '{path}' cannot be used in a transaction: {ex.Message}", ex);
        }

        if (_byKey.TryGetValue(key, out entry))
        {
            // Locked up front by Run, or the same file reached by another store type.
            if (entry.Store is not null && !ReferenceEquals(entry.Store, store))
            {
                throw new InvalidOperationException($"Two stores of this transaction are the same file '{key}': each file can take part once.");
            }
        }
        else
        {
            entry = new TransactionEntry(key, Relative(key));
            // As an update does: the lock file lives in the store's folder, which a first save would create anyway.
            store.PrepareFolderForLock(path);
            Lock(entry);
        }

        entry.Store = store;
        _byStore[store] = entry;
        return entry;
    }

    private void Lock(TransactionEntry entry)
    {
        _touched.Add(entry.Key);
        try
        {
            _locks.Take(entry);
        }
        catch when (_locks.Broken)
        {
            // It let go of locks it could not take back, or found a store changed: what it read is not protected.
            _state = State.Failed;
            throw;
        }

        _byKey.Add(entry.Key, entry);
        try
        {
            // Under the store's lock: a commit that a crash interrupted is finished before the store is read.
            CommitJournal.FinishInterrupted(Folder, LockTimeout);
        }
        catch
        {
            // The store is held but may still be owed an interrupted commit's content: never read it in this transaction.
            _state = State.Failed;
            throw;
        }

        // No journal can name this store while we hold it, so its transaction temps that no live writer holds are garbage.
        if (Swept.TryAdd(entry.Key, true))
        {
            var discarded = new List<string>();
            try
            {
                TempFiles.Sweep(entry.Key, TempFiles.TransactionSuffix, discarded);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort, like the plain sweep: the commit does not depend on it; Recover reports what stays.
            }

            if (discarded.Count > 0)
            {
                Report(new StoreRecovery(_root, null, null, [], [], discarded));
            }
        }
    }

    /// <summary>
    /// <paramref name="key"/> relative to the folder, <c>/</c> between segments: what the journal records. A store file
    /// that resolves outside the folder (a link to elsewhere) cannot take part: recovery renames only inside it.
    /// </summary>
    private string Relative(string key)
    {
        string relative = Path.GetRelativePath(_root, key);
        if (Path.IsPathRooted(relative) || relative == ".." || relative.StartsWith(".." + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            || CommitJournal.IsReserved(Path.GetFileName(key)))
        {
            throw new InvalidOperationException($"The store file '{key}' cannot take part in a transaction over '{_root}': it {(CommitJournal.IsReserved(Path.GetFileName(key)) ? "has a name the commit journal uses" : "is (or links to) a file outside that folder, where no recovery would rename it")}.");
        }

        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }
}
