namespace DevRank.AtomicStore;

/// <summary>
/// A transaction touched a store out of the global lock order while another thread or process held it; to wait
/// without risking a deadlock it let go of the locks that come later in the order, and meanwhile someone changed a
/// store it had already read (<see cref="AtomicStoreException.FilePath"/>). Nothing was written and the transaction is
/// over. Run it again: <see cref="StoreTransaction.Run{TResult}"/> does, with every store of the first attempt locked
/// in order up front.
/// </summary>
public sealed class StoreTransactionConflictException : AtomicStoreException
{
    internal StoreTransactionConflictException(string filePath)
        : base(filePath, $"'{filePath}' was changed by another thread or process while this transaction had let go of its lock (it touched a store that comes earlier in the lock order, which was busy, and waiting while holding later locks could deadlock). What the transaction read of it is stale, so nothing was written and the transaction is over. Run it again, or use StoreTransaction.Run, which retries with its stores locked in order.", null)
    {
    }
}
