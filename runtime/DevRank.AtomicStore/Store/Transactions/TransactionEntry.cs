namespace DevRank.AtomicStore;

/// <summary>One store file that a transaction holds: its lock, whether it read it, and the value it will commit.</summary>
internal sealed class TransactionEntry(string key, string target)
{
    /// <summary>The resolved store file: its lock's identity and its place in the global lock order.</summary>
    public string Key { get; } = key;

    /// <summary><see cref="Key"/> relative to the transaction's folder, <c>/</c> between segments: what the journal names.</summary>
    public string Target { get; } = target;

    public StoreLock? Lock { get; set; }

    /// <summary>The store that touched it; null while it is only locked (up front, by a retried <c>Run</c>).</summary>
    public object? Store { get; set; }

    /// <summary>Whether the transaction read the file (a load, or an update of what was on disk).</summary>
    public bool WasRead { get; set; }

    /// <summary>The value to commit; null when the transaction only read the store.</summary>
    public PendingValue? Pending { get; set; }
}

/// <summary>The value a transaction will commit to one store.</summary>
internal abstract class PendingValue
{
    /// <summary>Writes and flushes the value into a transaction temp beside <paramref name="key"/>, the resolved store file.</summary>
    public abstract AtomicWrite WriteTemp(string key);
}

/// <summary><see cref="PendingValue"/> of a store of <typeparamref name="T"/>.</summary>
internal sealed class PendingValue<T>(FileStore<T> store, T value) : PendingValue
{
    public T Value { get; } = value;

    public override AtomicWrite WriteTemp(string key)
    {
        AtomicWrite write = store.WriteTransactionTemp(key, Value);
        if (write.Target != key)
        {
            // The file became a link while the transaction held its lock: the journal would name a temp where recovery
            // does not look. Refuse rather than commit somewhere unrecorded.
            write.Dispose();
            throw new AtomicWriteException(key, AtomicWriteStage.CreateTemp, "the store file was replaced by a symbolic link during the transaction, so the transaction did not commit and no store was changed.", null);
        }

        return write;
    }
}
