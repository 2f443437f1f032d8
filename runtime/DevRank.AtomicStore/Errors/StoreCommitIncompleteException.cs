namespace DevRank.AtomicStore;

/// <summary>
/// A transaction's commit was decided (its journal is durable), but a store could not be renamed into place just now.
/// The commit is not undone and must not be run again: the journal stays, and the next save, update, transaction or
/// <see cref="StoreTransaction.Recover"/> in the folder completes it, so that every store of the commit ends with its
/// new content. <see cref="AtomicStoreException.FilePath"/> names the store that could not be renamed.
/// </summary>
public sealed class StoreCommitIncompleteException : AtomicStoreException
{
    internal StoreCommitIncompleteException(string filePath, string journalPath, Exception innerException)
        : base(filePath, $"The transaction's commit is decided, but '{filePath}' could not be renamed into place ({innerException.Message}). Its journal '{journalPath}' stays: the next save, update, transaction or StoreTransaction.Recover in the folder completes the commit, and every store of it then holds its new content. Do not run the transaction again.", innerException)
    {
        JournalPath = journalPath;
    }

    /// <summary>The journal that records the commit until it is completed.</summary>
    public string JournalPath { get; }
}
