using System.Diagnostics.CodeAnalysis;

namespace DevRank.AtomicStore;

/// <summary>
/// One typed file of a store folder, whatever its format: load it, save it atomically and durably, and update it
/// under a lock that holds across threads and processes. This core owns the path, the lock, the save queue, updates,
/// backups, the sweep and the mapping of I/O failures to typed errors; a format (<see cref="JsonFileStore{T}"/>)
/// owns only the bytes. Types marked <see cref="AtomicStoreAttribute"/> get static members that call one shared
/// instance; it can also be used directly.
/// </summary>
/// <typeparam name="T">The type of the file's content.</typeparam>
public abstract class FileStore<T>
{
    // Only this assembly's formats derive: the core's guarantees rest on what each format does under the lock.
    private protected FileStore(string fileName, AtomicWriteOptions? writeOptions, TimeSpan? lockTimeout)
    {
        FileName = ValidateFileName(fileName);
        WriteOptions = writeOptions ?? AtomicWriteOptions.Default;
        if (WriteOptions.KeepBackup && FileNames.Bytes(Path.GetFileName(fileName) + Backups.Suffix) > FileNames.MaxBytes)
        {
            throw new ArgumentException(
                $"The store file name '{fileName}' is too long to keep a backup: '<name>{Backups.Suffix}' would pass the {FileNames.MaxBytes}-byte limit of a file name. Shorten the name by {FileNames.Bytes(Path.GetFileName(fileName) + Backups.Suffix) - FileNames.MaxBytes} bytes or turn KeepBackup off.",
                nameof(fileName));
        }

        LockTimeout = lockTimeout ?? TimeSpan.FromMilliseconds(StoreDefaults.LockTimeoutMilliseconds);
        if (LockTimeout < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lockTimeout), lockTimeout, "The lock timeout cannot be negative.");
        }
    }

    /// <summary>The file's name relative to the store folder.</summary>
    public string FileName { get; }

    /// <summary>Durability of saves.</summary>
    public AtomicWriteOptions WriteOptions { get; }

    /// <summary>How long <c>Update</c> waits for the store's lock.</summary>
    public TimeSpan LockTimeout { get; }

    /// <summary>The full path of the store file in <paramref name="folder"/>.</summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The full path.</returns>
    public string GetPath(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return Path.GetFullPath(Path.Combine(folder, FileName));
    }

    /// <summary>Loads the document.</summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The document.</returns>
    /// <exception cref="StoreNotFoundException">The file does not exist.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    public T Load(string folder)
    {
        string path = GetPath(folder);
        return TryRead(path, out T value) ? value : throw new StoreNotFoundException(path);
    }

    /// <summary>Loads the document if the file exists.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="value">The document, when the method returns true.</param>
    /// <returns>False only when the file does not exist; a corrupt or unreadable file throws.</returns>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    public bool TryLoad(string folder, [MaybeNullWhen(false)] out T value) => TryRead(GetPath(folder), out value);

    /// <summary>Loads the document, or returns <paramref name="create"/>'s value when the file does not exist (without saving it).</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="create">Makes the value of a store that has no file yet.</param>
    /// <returns>The loaded or created document.</returns>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is and nothing is created.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    public T LoadOrCreate(string folder, Func<T> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return TryLoad(folder, out T? value) ? value : create();
    }

    /// <summary>Loads the document asynchronously.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The document.</returns>
    /// <exception cref="StoreNotFoundException">The file does not exist.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    public async ValueTask<T> LoadAsync(string folder, CancellationToken cancellationToken = default)
    {
        string path = GetPath(folder);
        (bool found, T value) = await TryReadAsync(path, cancellationToken).ConfigureAwait(false);
        return found ? value : throw new StoreNotFoundException(path);
    }

    /// <summary>Loads the document asynchronously, or returns <paramref name="create"/>'s value when the file does not exist.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="create">Makes the value of a store that has no file yet.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The loaded or created document.</returns>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    public async ValueTask<T> LoadOrCreateAsync(string folder, Func<T> create, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(create);
        (bool found, T value) = await TryReadAsync(GetPath(folder), cancellationToken).ConfigureAwait(false);
        return found ? value : create();
    }

    /// <summary>
    /// Saves <paramref name="value"/> atomically; returns once it (or a newer state saved concurrently by this
    /// process) is durable. Missing sub-folders are created.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="value">The document to save.</param>
    /// <exception cref="AtomicWriteException">The save failed; the previous file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place but flushing its folder failed.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot write the type as configured; nothing was written.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null: a store file never holds <c>null</c>, which no load accepts.</exception>
    /// <exception cref="StoreLockTimeoutException">A format whose saves take the store's lock (JSON Lines) did not get it within <see cref="LockTimeout"/>; nothing was written.</exception>
    /// <exception cref="StoreJournalException">A commit that a crash interrupted in the folder cannot be finished (see <see cref="StoreTransaction"/>); nothing was written.</exception>
    public void Save(string folder, T value)
    {
        string path = GetPath(folder);
        var pending = new Pending(this, NotNull(value, nameof(value)));
        FinishInterruptedCommit(folder);
        if (!SavesUnderLock || StoreLock.IsHeldByThisThread(path))
        {
            SaveQueue.For(path).Save(pending);
            return;
        }

        // The lock file lives in the store's folder.
        EnsureFolder(path, forUpdate: false);
        using StoreLock held = LockForWrite(path);
        SaveQueue.For(path).Save(pending);
    }

    /// <summary>
    /// Saves <paramref name="value"/> atomically; the task completes once it (or a newer state saved concurrently
    /// by this process) is durable. Concurrent saves of one file share their writes and flushes (group commit).
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="value">The document to save; do not change it until the task completes.</param>
    /// <param name="cancellationToken">
    /// Observed before the save is queued. Once queued a save completes, because its state may already be part of a
    /// write shared with other callers.
    /// </param>
    /// <returns>A task that completes when the state is durable.</returns>
    /// <exception cref="AtomicWriteException">The save failed; the previous file is unchanged.</exception>
    /// <exception cref="DurabilityUnknownException">The content is in place but flushing its folder failed.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot write the type as configured; nothing was written.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null: a store file never holds <c>null</c>, which no load accepts.</exception>
    /// <exception cref="StoreLockTimeoutException">A format whose saves take the store's lock (JSON Lines) did not get it within <see cref="LockTimeout"/>; nothing was written.</exception>
    /// <exception cref="StoreJournalException">A commit that a crash interrupted in the folder cannot be finished (see <see cref="StoreTransaction"/>); nothing was written.</exception>
    public Task SaveAsync(string folder, T value, CancellationToken cancellationToken = default)
    {
        NotNull(value, nameof(value));
        cancellationToken.ThrowIfCancellationRequested();
        string path = GetPath(folder);
        FinishInterruptedCommit(folder);
        return SavesUnderLock ? SaveUnderLockAsync(path, new Pending(this, value), cancellationToken) : SaveQueue.For(path).SaveAsync(new Pending(this, value));
    }

    private async Task SaveUnderLockAsync(string path, Pending pending, CancellationToken cancellationToken)
    {
        if (StoreLock.IsHeldByThisThread(path))
        {
            // Inside this thread's own update: the lock is ours already.
            SaveQueue.For(path).Save(pending);
            return;
        }

        EnsureFolder(path, forUpdate: false);
        StoreLock held;
        try
        {
            held = await StoreLock.AcquireAsync(path, LockTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreLoadException ex) when (ex.GetType() == typeof(StoreLoadException))
        {
            throw LockFailed(path, ex);
        }

        using var hold = held;
        held.Flow();
        // As UpdateAsync: once the lock is held, the save runs on this thread, never waiting for the pool.
        SaveQueue.For(path).Save(pending);
    }

    /// <summary>
    /// Loads the document, applies <paramref name="change"/> and saves the result, holding the store's lock
    /// throughout so that no other thread or process can update it in between.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="change">Returns the new document from the current one.</param>
    /// <param name="create">Makes the starting document when the file does not exist; when null, a missing file throws.</param>
    /// <returns>The saved document.</returns>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="LockTimeout"/>.</exception>
    /// <exception cref="StoreNotFoundException">The file does not exist and <paramref name="create"/> is null.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; nothing is changed.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="AtomicWriteException">The save failed; the previous file is unchanged.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> returned null; nothing is changed.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store, which would wait for itself.</exception>
    /// <exception cref="StoreJournalException">A commit that a crash interrupted in the folder cannot be finished (see <see cref="StoreTransaction"/>); nothing was read or written.</exception>
    public T Update(string folder, Func<T, T> change, Func<T>? create = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        string path = GetPath(folder);
        EnsureFolder(path, forUpdate: true);
        using StoreLock held = StoreLock.Acquire(path, LockTimeout);
        FinishInterruptedCommit(folder);
        T next = Changed(change(Current(path, create)), change);
        SaveQueue.For(path).Save(new Pending(this, next));
        return next;
    }

    /// <summary>
    /// Asynchronous <see cref="Update(string, Func{T, T}, Func{T}?)"/>: waits for the lock without blocking a thread.
    /// Once it holds the lock it loads and saves synchronously on its own thread, so that the lock is never held by
    /// work waiting for the thread pool.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="change">Returns the new document from the current one.</param>
    /// <param name="create">Makes the starting document when the file does not exist; when null, a missing file throws.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock and the load; once the change ran, the save completes.</param>
    /// <returns>The saved document.</returns>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="LockTimeout"/>.</exception>
    /// <exception cref="StoreNotFoundException">The file does not exist and <paramref name="create"/> is null.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; nothing is changed.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="AtomicWriteException">The save failed; the previous file is unchanged.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> returned null; nothing is changed.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store, which would wait for itself.</exception>
    public Task<T> UpdateAsync(string folder, Func<T, T> change, Func<T>? create = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        return UpdateAsync(folder, (value, _) => ValueTask.FromResult(change(value)), create, cancellationToken);
    }

    /// <summary>Asynchronous update whose change is itself asynchronous; the lock is held until the save is durable.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="change">Returns the new document from the current one.</param>
    /// <param name="create">Makes the starting document when the file does not exist; when null, a missing file throws.</param>
    /// <param name="cancellationToken">Cancels the wait for the lock, the load and the change; once the change returned, the save completes.</param>
    /// <returns>The saved document.</returns>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="LockTimeout"/>.</exception>
    /// <exception cref="StoreNotFoundException">The file does not exist and <paramref name="create"/> is null.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; nothing is changed.</exception>
    /// <exception cref="StoreConfigurationException">The store's serializer cannot read the type as configured; the file was not judged and is left as it is.</exception>
    /// <exception cref="AtomicWriteException">The save failed; the previous file is unchanged.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="change"/> returned null; nothing is changed.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store, which would wait for itself.</exception>
    /// <exception cref="StoreJournalException">A commit that a crash interrupted in the folder cannot be finished (see <see cref="StoreTransaction"/>); nothing was read or written.</exception>
    public async Task<T> UpdateAsync(string folder, Func<T, CancellationToken, ValueTask<T>> change, Func<T>? create = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(change);
        string path = GetPath(folder);
        EnsureFolder(path, forUpdate: true);
        using StoreLock held = await StoreLock.AcquireAsync(path, LockTimeout, cancellationToken).ConfigureAwait(false);
        held.Flow();
        FinishInterruptedCommit(folder);
        // From here to the release the holder needs no pool thread: it loads and saves synchronously on the thread
        // it runs on (async file I/O on Unix is a pool work item, and a queued save would wait for one). With the
        // pool's threads blocked on updates, a holder that waits for the pool makes everyone behind it time out.
        cancellationToken.ThrowIfCancellationRequested();
        T next = Changed(await change(Current(path, create), cancellationToken).ConfigureAwait(false), change);
        SaveQueue.For(path).Save(new Pending(this, next));
        return next;
    }

    /// <summary>Deletes temp files that killed writers left beside the store file; never one a live writer holds.</summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>How many were deleted.</returns>
    public int SweepStaleTemps(string folder) => AtomicFile.SweepStaleTemps(GetPath(folder));

    /// <summary>The path of the previous version kept by <see cref="AtomicWriteOptions.KeepBackup"/>.</summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The full path of <c>&lt;name&gt;.bak</c>.</returns>
    public string GetBackupPath(string folder) => Backups.PathFor(GetPath(folder));

    /// <summary>
    /// Recovers a store file damaged by something outside this library: checks that the backup kept by
    /// <see cref="AtomicWriteOptions.KeepBackup"/> is a valid document, keeps the damaged file as
    /// <c>&lt;name&gt;.corrupt-&lt;UTC time&gt;</c>, and atomically puts the backup's exact bytes in its place,
    /// all under the store's lock. Never called implicitly.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The restored document.</returns>
    /// <exception cref="StoreNotFoundException">There is no backup.</exception>
    /// <exception cref="StoreCorruptException">The backup itself is not a valid document; nothing is changed.</exception>
    /// <exception cref="AtomicWriteException">Writing the restored file failed; the damaged file is unchanged.</exception>
    public T RestoreBackup(string folder)
    {
        string path = GetPath(folder);
        string backup = Backups.PathFor(path);
        using StoreLock held = StoreLock.Acquire(path, LockTimeout);
        FinishInterruptedCommit(folder);
        if (!TryRead(backup, out T value))
        {
            throw new StoreNotFoundException(backup);
        }

        if (File.Exists(path))
        {
            Backups.Preserve(path, QuarantinePathFor(path), WriteOptions.Durability);
        }

        // Without KeepBackup: a backup of the damaged file would replace the good one being restored.
        Backups.CopyAtomically(backup, path, WriteOptions.Durability);
        return value;
    }

    /// <summary>
    /// Moves a damaged store file aside as <c>&lt;name&gt;.corrupt-&lt;UTC time&gt;</c> under the store's lock, so that
    /// the store starts afresh while the damaged bytes stay available for inspection. Never called implicitly.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The full path the file was moved to (for a name too long to take the suffix, a shortened name with a hash of the whole).</returns>
    /// <exception cref="StoreNotFoundException">There is no store file.</exception>
    public string Quarantine(string folder)
    {
        string path = GetPath(folder);
        using StoreLock held = StoreLock.Acquire(path, LockTimeout);
        FinishInterruptedCommit(folder);
        if (!File.Exists(path))
        {
            throw new StoreNotFoundException(path);
        }

        string quarantined = QuarantinePathFor(path);
        File.Move(path, quarantined);
        if (WriteOptions.Durability == Durability.Durable && Platform.DurableIO.FlushDirectory(Path.GetDirectoryName(path)!) is var errno and not 0)
        {
            throw new DurabilityUnknownException(quarantined, Platform.Libc.Describe(errno), errno);
        }

        return quarantined;
    }

    private static string QuarantinePathFor(string path)
    {
        string suffix = ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmssfff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        // A name too long for the suffix is shortened as the temp names are (FileNames.Fit).
        return Path.Combine(Path.GetDirectoryName(path)!, FileNames.Fit(Path.GetFileName(path), suffix.Length) + suffix);
    }

    private static T NotNull(T value, string name) =>
        value is null ? throw new ArgumentNullException(name, "A store cannot save null: the file would hold null, which every later load rejects. Nothing was written.") : value;

    /// <summary>The value an update's <paramref name="change"/> returned, refused when null.</summary>
    private static T Changed(T next, Delegate change) =>
        next is null ? throw new ArgumentNullException(nameof(change), "The update's change returned null: the file would hold null, which every later load rejects. Nothing was written.") : next;

    private T Current(string path, Func<T>? create)
    {
        if (TryRead(path, out T value))
        {
            return value;
        }

        return create is not null ? create() : throw new StoreNotFoundException(path);
    }

    private void Write(string path, T value)
    {
        try
        {
            WriteFile(path, value);
        }
        catch (AtomicWriteException ex) when (ex.Stage == AtomicWriteStage.CreateTemp && !Directory.Exists(Path.GetDirectoryName(path)))
        {
            // The folder is missing (a first save, or someone removed it): make it durably and try once more; or a
            // file is in its place, which EnsureFolder reports. Only on failure, so that a save into an existing
            // folder costs no extra stat.
            EnsureFolder(path, forUpdate: false);
            WriteFile(path, value);
        }

        try
        {
            // Another thread may have just created the folder and not yet flushed it into its parent: a durable save
            // is acknowledged only once it has (one int read when no folder is being created).
            if (WriteOptions.Durability == Durability.Durable)
            {
                DurableFolders.AwaitCreations(Path.GetDirectoryName(path)!);
            }
        }
        catch (FolderException ex)
        {
            throw new DurabilityUnknownException(path, ex.Message, ex.NativeErrorCode);
        }
    }

    private void WriteFile(string path, T value)
    {
        try
        {
            // Formats hand the file large writes themselves (pooled chunks or the serializer's own buffer): no
            // FileStream buffer in between.
            AtomicFile.Write(path, (Store: this, Value: value), static (stream, state) => state.Store.Serialize(stream, state.Value), WriteOptions, bufferSize: 0);
        }
        catch (AtomicWriteException ex) when (ex.Stage == AtomicWriteStage.Write && ex.InnerException is { } inner && SaveError(path, inner) is { } error)
        {
            // The serializer refused the type, not the disk the bytes: say so (the temp is already gone).
            throw error;
        }
    }

    /// <summary>Reads and parses the file at <paramref name="path"/>; false only when it does not exist.</summary>
    private protected abstract bool TryRead(string path, out T value);

    /// <summary>Reads and parses the file at <paramref name="path"/> asynchronously; (false, default) only when it does not exist.</summary>
    private protected abstract ValueTask<(bool Found, T Value)> TryReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes the whole content into the temp file's stream.</summary>
    private protected abstract void Serialize(Stream stream, T value);

    /// <summary>A typed error when a write failed because the serializer refused the type; null when the failure is the disk's.</summary>
    private protected virtual Exception? SaveError(string path, Exception inner) => null;

    /// <summary>
    /// Whether <c>Save</c> and <c>SaveAsync</c> take the store's lock (unless this thread holds it already, inside an
    /// update): true for a format that also writes the file in place under the lock (JSON Lines appends), which
    /// must never write into a file a save has just replaced. Saves then run one at a time, without group commit.
    /// </summary>
    private protected virtual bool SavesUnderLock => false;

    /// <summary>
    /// The store's lock, for a write: a path problem found on the way (a link another user could have planted, a FIFO
    /// as the lock file) is the write's typed error, <see cref="AtomicWriteException"/>, as a save without the lock
    /// reports it, not a load's. A timeout stays a <see cref="StoreLockTimeoutException"/>.
    /// </summary>
    private protected StoreLock LockForWrite(string path)
    {
        try
        {
            return StoreLock.Acquire(path, LockTimeout);
        }
        catch (StoreLoadException ex) when (ex.GetType() == typeof(StoreLoadException))
        {
            throw LockFailed(path, ex);
        }
    }

    private static AtomicWriteException LockFailed(string path, StoreLoadException ex) =>
        new(path, AtomicWriteStage.CreateTemp, $"resolving it or taking its lock failed: {ex.InnerException?.Message ?? ex.Message}; nothing was written.", ex);

    /// <summary>
    /// Creates the store file's missing folders. A level that is a file is a path problem: for an update (which has
    /// read nothing yet) a <see cref="StoreLoadException"/>, for a save an <see cref="AtomicWriteException"/>. A new
    /// folder whose parent could not be flushed stops either before anything is written (an <see cref="AtomicWriteException"/>).
    /// </summary>
    private protected void EnsureFolder(string path, bool forUpdate)
    {
        string folder = Path.GetDirectoryName(path)!;
        if (Directory.Exists(folder))
        {
            return;
        }

        try
        {
            DurableFolders.Create(folder, WriteOptions.Durability);
        }
        catch (FolderException ex) when (forUpdate && ex.NativeErrorCode == 0)
        {
            throw new StoreLoadException(path, $"The store file '{path}' cannot be updated: {ex.Message}. Nothing was read or written.", ex.InnerException);
        }
        catch (FolderException ex)
        {
            // A failed flush of a new folder's parent, or a path problem in a save: nothing was written.
            throw new AtomicWriteException(path, AtomicWriteStage.CreateFolder, $"{ex.Message}; nothing was written.", ex.InnerException, ex.NativeErrorCode);
        }
    }

    /// <summary>
    /// A transaction's half of a save (<see cref="StoreTransaction"/>): the store's missing folders created, the value
    /// written into a transaction temp beside <paramref name="target"/> (the resolved store file) and flushed to disk.
    /// The caller renames it, after its journal, or disposes it, which deletes the temp.
    /// </summary>
    internal AtomicWrite WriteTransactionTemp(string target, T value)
    {
        EnsureFolder(target, forUpdate: false);
        // Always durable: atomicity across files rests on every temp being on disk before the journal that names it.
        var options = new AtomicWriteOptions { Durability = Durability.Durable, KeepBackup = WriteOptions.KeepBackup, BufferSize = WriteOptions.BufferSize };
        AtomicWrite write = AtomicWrite.Begin(target, options, tempSuffix: TempFiles.TransactionSuffix);
        try
        {
            try
            {
                Serialize(write.OpenStream(bufferSize: 0), value);
            }
            catch (Exception ex)
            {
                Exception error = write.Fail(ex);
                throw error is AtomicWriteException { Stage: AtomicWriteStage.Write, InnerException: { } inner } && SaveError(target, inner) is { } typed ? typed : error;
            }

            write.FlushToDisk();
            return write;
        }
        catch
        {
            write.Dispose();
            throw;
        }
    }

    /// <summary>What an update does before it locks (the lock file lives in the store's folder), for a transaction's first touch.</summary>
    internal void PrepareFolderForLock(string path) => EnsureFolder(path, forUpdate: true);

    /// <summary>
    /// Before a save or an update touches the store: finishes a commit that a crash interrupted in the folder, whose
    /// roll-forward would otherwise overwrite this write later. One <c>lstat</c> of the journal's name when there is none.
    /// </summary>
    private void FinishInterruptedCommit(string folder) => CommitJournal.FinishInterrupted(folder, LockTimeout);

    private static string ValidateFileName(string fileName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (Path.IsPathRooted(fileName)
            || fileName.EndsWith('/') || fileName.EndsWith('\\')
            || fileName.Split('/', '\\').Any(static segment => segment is "" or "." or ".."))
        {
            throw new ArgumentException($"The store file name '{fileName}' must be a relative path inside the store folder, without '.' or '..' segments.", nameof(fileName));
        }

        if (fileName.Split('/', '\\').FirstOrDefault(static segment => FileNames.Bytes(segment) > FileNames.MaxBytes) is { } tooLong)
        {
            throw new ArgumentException(
                $"The store file name '{fileName}' cannot be created: '{tooLong}' is {FileNames.Bytes(tooLong)} bytes of UTF-8, and a file or folder name may have at most {FileNames.MaxBytes}.",
                nameof(fileName));
        }

        return fileName;
    }

    private sealed class Pending(FileStore<T> store, T value) : PendingWrite
    {
        public override void Run(string path) => store.Write(path, value);
    }
}
