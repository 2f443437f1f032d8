using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// The commit journal of a store folder: one fixed name, <c>.devrank-commit.journal</c>, that exists only while a
/// multi-store commit is renaming its temps (or after a crash interrupted one), and the folder's commit lock that every
/// writer and reader of it holds. Everything here runs under that lock, so at most one commit of a folder is ever
/// between its decision and its end, and whoever finds the journal while holding the lock knows its writer is dead.
/// </summary>
internal static class CommitJournal
{
    /// <summary>The journal: present means "a commit was decided and may not be finished".</summary>
    public const string FileName = ".devrank-commit.journal";

    /// <summary>
    /// The folder's commit lock. Not of the form <c>.&lt;name&gt;.lock</c>, so that it is never the update lock of a
    /// store, whatever the store is called.
    /// </summary>
    public const string LockFileName = ".devrank-commit.journal-lock";

    /// <summary>Where the record is written and flushed before it is renamed to <see cref="FileName"/>.</summary>
    public const string NewFileName = ".devrank-commit.journal-new";

    /// <summary>True when a name is one of the journal's own, which no store of a transaction may use.</summary>
    public static bool IsReserved(string fileName) => fileName is FileName or LockFileName or NewFileName;

    public static string PathIn(string folder) => Path.Combine(folder, FileName);

    public static string LockPathIn(string folder) => Path.Combine(folder, LockFileName);

    /// <summary>
    /// Whether a journal is there: one <c>lstat</c> (one failed <c>statx</c> when there is none), the whole cost that
    /// transactions add to a plain save or update.
    /// </summary>
    public static bool IsPresent(string folder)
    {
        string path = PathIn(folder);
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(path);
        }

        try
        {
            return Posix.LinkStat(path) is not null;
        }
        catch (IOException)
        {
            // The folder cannot be searched (EACCES, say): the store's own open reports that better than we could.
            return false;
        }
    }

    /// <summary>
    /// Finishes a commit that a crash interrupted in <paramref name="folder"/>, if there is one: one <c>lstat</c> when
    /// there is none; else waits up to <paramref name="timeout"/> for the commit lock and rolls the commit forward.
    /// Called by every save and update of a store (an update under its store's lock), before it reads or writes, so
    /// that no later write is overwritten by an earlier commit's roll-forward.
    /// </summary>
    /// <exception cref="StoreJournalException">The journal is damaged, untrusted, or could not be completed; it is left as it is.</exception>
    /// <exception cref="StoreLockTimeoutException">The commit lock was not free within <paramref name="timeout"/>.</exception>
    public static StoreRecovery? FinishInterrupted(string folder, TimeSpan timeout)
    {
        if (!IsPresent(folder))
        {
            return null;
        }

        // Seen, but perhaps a live commit's: its writer holds the lock until it has removed it.
        using StoreLock held = StoreLock.AcquireFile(LockPathIn(folder), timeout);
        StoreRecovery? recovery = RecoverLocked(folder);
        StoreTransaction.Report(recovery);
        return recovery;
    }

    /// <summary><see cref="FinishInterrupted"/> that waits for the commit lock without blocking a thread.</summary>
    public static async ValueTask<StoreRecovery?> FinishInterruptedAsync(string folder, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!IsPresent(folder))
        {
            return null;
        }

        using StoreLock held = await StoreLock.AcquireFileAsync(LockPathIn(folder), timeout, cancellationToken).ConfigureAwait(false);
        held.Flow();
        StoreRecovery? recovery = RecoverLocked(folder);
        StoreTransaction.Report(recovery);
        return recovery;
    }

    /// <summary>
    /// Under the commit lock: rolls the journal's commit forward and removes the journal; null when there is none. The
    /// caller reports what it returns.
    /// A journal found here belongs to a dead commit (a live one holds the lock until it has removed its journal), and
    /// a journal only ever exists once its record and every temp it names were flushed: so each temp it names is either
    /// still there, with its durable new content, or already renamed over its target.
    /// </summary>
    public static StoreRecovery? RecoverLocked(string folder)
    {
        string journal = PathIn(folder);
        CommitRecord? record = Read(folder, journal);
        if (record is null)
        {
            return null;
        }

        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        var renames = record.Entries.Select(entry => Locate(root, entry, journal)).ToList();

        // Every temp is checked before any is renamed: a journal we cannot complete must not be half applied by us.
        var pending = new List<(string Temp, string Target)>();
        var inPlace = new List<string>();
        foreach ((string temp, string target) in renames)
        {
            if (IsRegularFile(temp, journal))
            {
                pending.Add((temp, target));
            }
            else
            {
                inPlace.Add(target);
            }
        }

        foreach ((string temp, string target) in pending)
        {
            try
            {
                DurableIO.Replace(temp, target);
            }
            catch (AtomicWriteException ex)
            {
                throw new StoreJournalException(journal, $"The interrupted commit {record.Id} in '{folder}' could not be completed: {ex.Message} The journal stays, so that the next save, update or transaction in this folder tries again; no store was rolled back.", ex);
            }
        }

        FlushFolders(renames.Select(r => r.Target));
        Remove(journal, flush: true);
        return new StoreRecovery(root, journal, record.Id, [.. pending.Select(p => p.Target)], inPlace, []);
    }

    /// <summary>
    /// Makes <paramref name="record"/> the folder's journal, durably: written to <see cref="NewFileName"/> (0600,
    /// <c>O_EXCL|O_NOFOLLOW</c>), flushed, renamed to <see cref="FileName"/>, and the folder flushed. The caller holds
    /// the commit lock. When this returns the commit is decided; when it throws, it is not and nothing was renamed.
    /// </summary>
    /// <exception cref="AtomicWriteException">The journal could not be written or flushed: the commit did not happen.</exception>
    public static void Write(string folder, CommitRecord record)
    {
        string journal = PathIn(folder);
        string fresh = Path.Combine(folder, NewFileName);
        byte[] bytes = record.Encode();
        try
        {
            using (SafeFileHandle handle = CreateNew(fresh))
            {
                RandomAccess.Write(handle, bytes, fileOffset: 0);
                DurableIO.FlushFile(handle, fresh);
            }

            DurableIO.Replace(fresh, journal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            DeleteQuietly(fresh);
            AtomicWriteStage stage = ex is AtomicWriteException write ? write.Stage : AtomicWriteStage.Write;
            throw new AtomicWriteException(journal, stage, $"writing the commit journal failed ({ex.Message}); the transaction did not commit and no store was changed.", ex, ex is AtomicWriteException { NativeErrorCode: var code } ? code : ex.HResult);
        }

        int errno = FlushFolderOf(journal);
        if (errno != 0)
        {
            // Whether the journal reached the disk is unknown, and a second flush could hide what the first lost. Take
            // it back: no store has been touched, so the commit is abandoned. A power cut before the folder's next
            // successful flush may still bring the journal back, and recovery would then complete the commit: all
            // stores old or all new, never a mix.
            DeleteQuietly(journal);
            throw new AtomicWriteException(journal, AtomicWriteStage.FlushToDisk, $"flushing the folder after writing the commit journal failed ({Libc.Describe(errno)}); the commit was abandoned and no store was changed. Until the folder is flushed again, a power cut may still complete it (all stores new, never a mix).", null, errno);
        }
    }

    /// <summary>
    /// Removes the journal once every rename of its commit is durable. With <paramref name="flush"/> false the removal
    /// is not flushed: a journal a power cut brings back names temps that are all gone, and its recovery renames nothing.
    /// </summary>
    public static void Remove(string journal, bool flush)
    {
        try
        {
            File.Delete(journal);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreJournalException(journal, $"Every store of the commit is in place, but its journal '{journal}' could not be removed ({ex.Message}). It stays, and the next opener's recovery finds nothing left to rename.", ex);
        }

        if (flush)
        {
            // Best effort: see above; nothing depends on the removal being durable.
            _ = FlushFolderOf(journal);
        }
    }

    /// <summary>
    /// Before the journal: flushes each folder of <paramref name="temps"/> once, so that the temps' names are durable
    /// before a journal that names them can be. (The journal's own folder is flushed after it is written.)
    /// </summary>
    /// <exception cref="AtomicWriteException">A flush failed: the commit did not happen.</exception>
    public static void FlushTempFolders(IEnumerable<string> temps)
    {
        foreach (string folder in temps.Select(t => Path.GetDirectoryName(t)!).Distinct(StringComparer.Ordinal))
        {
            int errno = DurableIO.FlushDirectory(folder);
            if (errno != 0)
            {
                throw new AtomicWriteException(folder, AtomicWriteStage.FlushToDisk, $"flushing the folder of the transaction's temps failed ({Libc.Describe(errno)}); the transaction did not commit and no store was changed.", null, errno);
            }
        }
    }

    /// <summary>Flushes each folder of <paramref name="targets"/> once, so that every rename into it is durable.</summary>
    /// <exception cref="DurabilityUnknownException">A flush failed: the renames are in place, their durability unknown; the journal stays.</exception>
    public static void FlushFolders(IEnumerable<string> targets)
    {
        foreach (IGrouping<string, string> folder in targets.GroupBy(t => Path.GetDirectoryName(t)!, StringComparer.Ordinal))
        {
            int errno = FlushFolderOf(folder.First());
            if (errno != 0)
            {
                throw new DurabilityUnknownException(folder.First(), $"{Libc.Describe(errno)}; the commit journal stays until the folder flushes, so that a power cut cannot leave a mix", errno);
            }
        }
    }

    /// <summary>
    /// Reads and checks the journal: null when there is none; a <see cref="StoreJournalException"/> when it is not a
    /// regular file, not trusted, or not a valid record. Never followed through a link, never blocking on a FIFO.
    /// </summary>
    private static CommitRecord? Read(string folder, string journal)
    {
        SafeFileHandle? handle;
        try
        {
            handle = OperatingSystem.IsWindows() ? OpenWindows(journal) : Posix.OpenRegular(journal, write: false);
        }
        catch (IOException ex) when (ex is not AtomicStoreException)
        {
            throw new StoreJournalException(journal, $"The commit journal '{journal}' cannot be read ({ex.Message}). A link, FIFO or folder under this name is never followed or opened; nothing was done. Remove it if it is not yours.", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreJournalException(journal, $"The commit journal '{journal}' cannot be read: {ex.Message}. Nothing was done.", ex);
        }

        if (handle is null)
        {
            return null; // finished by someone else while we waited for the lock
        }

        using (handle)
        {
            if (!OperatingSystem.IsWindows())
            {
                CheckTrusted(folder, journal, Posix.Stat(handle, journal));
            }

            long length = RandomAccess.GetLength(handle);
            if (length > CommitRecord.MaxBytes)
            {
                throw Damaged(journal, $"it is {length} bytes long, more than any commit writes");
            }

            byte[] bytes = new byte[length];
            int read = 0;
            while (read < bytes.Length && RandomAccess.Read(handle, bytes.AsSpan(read), read) is var n and > 0)
            {
                read += n;
            }

            return CommitRecord.Decode(bytes.AsSpan(0, read), out string problem) ?? throw Damaged(journal, problem);
        }
    }

    /// <summary>
    /// A journal decides which files replace which, so only one that nobody else could have planted is acted on: owned
    /// by this process's user or by root, or by the owner of a folder that only its owner may write; with no second
    /// name (a hard link made elsewhere) and not writable by group or others. The record's own checks keep every rename
    /// inside the folder whatever the journal says (<see cref="CommitEntry.Problem"/>).
    /// </summary>
    private static void CheckTrusted(string folder, string journal, Posix.FileStat stat)
    {
        uint me = Posix.EffectiveUserId;
        bool owner = stat.Uid == me || stat.Uid == 0
            || (Posix.FollowStat(folder) is { } dir && dir.Uid == stat.Uid && (dir.Permissions & Posix.WritableByOthers) == 0);
        if (owner && stat.Links == 1 && (stat.Permissions & Posix.WritableByOthers) == 0)
        {
            return;
        }

        throw new StoreJournalException(journal,
            $"The commit journal '{journal}' is not trusted: it is owned by uid {stat.Uid}, has {stat.Links} name(s) and mode {Convert.ToString((int)stat.Permissions, 8)}, in a folder others may write. " +
            "Whoever planted it could choose which files replace which, so nothing was renamed and it was left as it is. If it is a real commit of another user, let that user (or root) recover it; else remove it.");
    }

    /// <summary>Where an entry's temp and target are, checked once more to lie inside <paramref name="root"/>.</summary>
    private static (string Temp, string Target) Locate(string root, CommitEntry entry, string journal)
    {
        string target = Path.GetFullPath(Path.Combine(root, entry.Target.Replace('/', Path.DirectorySeparatorChar)));
        string prefix = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (!target.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw Damaged(journal, $"it names '{entry.Target}', which is outside its folder");
        }

        return (Path.Combine(Path.GetDirectoryName(target)!, entry.Temp), target);
    }

    /// <summary>True when <paramref name="temp"/> is there as a regular file; false when it is gone (already renamed).</summary>
    private static bool IsRegularFile(string temp, string journal)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.Exists(temp);
        }

        Posix.FileStat? stat = Posix.LinkStat(temp);
        return stat switch
        {
            null => false,
            { IsRegular: true } => true,
            _ => throw new StoreJournalException(journal, $"The commit journal '{journal}' names the temp '{temp}', which is not a regular file (a link, FIFO or folder is in its place). Nothing was renamed; the journal was left as it is."),
        };
    }

    private static int FlushFolderOf(string path) => DurableIO.FlushDirectory(Path.GetDirectoryName(path)!);

    private static StoreJournalException Damaged(string journal, string problem) =>
        new(journal, $"The commit journal '{journal}' is damaged: {problem}. A journal is only ever renamed into place whole, so this is not a crash's doing; nothing was renamed and it was left as it is. Inspect it and the stores it may name; move it aside to let the folder's stores be written again.");

    private static SafeFileHandle CreateNew(string path)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return OperatingSystem.IsWindows()
                    ? File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write, FileShare.None)
                    : Posix.CreateExclusive(path, Posix.OwnerOnly);
            }
            catch (IOException ex) when (attempt == 0 && (OperatingSystem.IsWindows() || ex.HResult == Libc.EEXIST))
            {
                // A commit that died while writing its record left it; we hold the commit lock, so it is nobody's now.
                // Unlinking never follows a link, so whatever was planted here goes, and O_EXCL then makes ours.
                DeleteQuietly(path);
            }
        }
    }

    private static SafeFileHandle? OpenWindows(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next commit, which removes a stale record under the lock before it writes its own.
        }
    }
}
