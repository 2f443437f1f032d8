namespace DevRank.AtomicStore;

/// <summary>
/// The store locks one transaction holds, taken lazily (at each store's first touch) without ever risking a deadlock.
/// The global order is the ordinal order of the resolved store paths. A lock later in the order than every lock held
/// is waited for; one earlier is only tried. If it is busy, the transaction lets go of every lock after it, waits for
/// it, and takes the others back in order, so that it never waits for a lock while holding a later one: no cycle of
/// waiters can form, between threads or processes. What it had read of a store it let go of must still be what is
/// there (<see cref="FileStamp"/>); if not, it is over (<see cref="StoreTransactionConflictException"/>).
/// </summary>
internal sealed class TransactionLocks(TimeSpan timeout)
{
    private readonly List<TransactionEntry> _held = [];

    /// <summary>
    /// True once a <see cref="Take"/> that had let go of locks failed: what the transaction read is no longer protected,
    /// and it must not commit. A failure to take a lock in order, or to try one, leaves everything held as it was.
    /// </summary>
    public bool Broken { get; private set; }

    /// <summary>Takes <paramref name="entry"/>'s lock, respecting the global order (see the class summary).</summary>
    /// <exception cref="StoreLockTimeoutException">A lock was not free within the timeout.</exception>
    /// <exception cref="StoreTransactionConflictException">A store read before was changed while its lock was let go.</exception>
    public void Take(TransactionEntry entry)
    {
        if (_held.TrueForAll(e => IsBefore(e, entry)))
        {
            Hold(entry, StoreLock.Acquire(entry.Key, timeout));
            return;
        }

        if (StoreLock.TryAcquire(entry.Key) is { } free)
        {
            Hold(entry, free);
            return;
        }

        // Busy, and out of order: whoever holds it may be waiting, in order, for one of our later locks.
        List<TransactionEntry> later = [.. _held.Where(e => IsBefore(entry, e)).OrderByDescending(e => e.Key, StringComparer.Ordinal)];
        var stamps = new Dictionary<TransactionEntry, FileStamp>();
        try
        {
            Broken = true; // until every lock is back and every stamp matches
            foreach (TransactionEntry e in later)
            {
                if (e.WasRead)
                {
                    // Still under its lock: the stamp is of exactly what the transaction read.
                    stamps[e] = FileStamp.Take(e.Key);
                }

                e.Lock!.Dispose();
                e.Lock = null;
                _held.Remove(e);
            }

            Hold(entry, StoreLock.Acquire(entry.Key, timeout));
            later.Reverse();
            foreach (TransactionEntry e in later)
            {
                Hold(e, StoreLock.Acquire(e.Key, timeout));
            }

            if (later.FirstOrDefault(e => stamps.TryGetValue(e, out FileStamp? stamp) && !stamp.Matches()) is { } changed)
            {
                throw new StoreTransactionConflictException(changed.Key);
            }

            Broken = false;
        }
        finally
        {
            foreach (FileStamp stamp in stamps.Values)
            {
                stamp.Dispose();
            }
        }
    }

    /// <summary>Lets go of every lock, the last taken first.</summary>
    public void ReleaseAll()
    {
        for (int i = _held.Count - 1; i >= 0; i--)
        {
            _held[i].Lock?.Dispose();
            _held[i].Lock = null;
        }

        _held.Clear();
    }

    private static bool IsBefore(TransactionEntry a, TransactionEntry b) => string.CompareOrdinal(a.Key, b.Key) < 0;

    private void Hold(TransactionEntry entry, StoreLock held)
    {
        entry.Lock = held;
        _held.Add(entry);
    }
}
