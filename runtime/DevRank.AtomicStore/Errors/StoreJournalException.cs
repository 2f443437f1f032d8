namespace DevRank.AtomicStore;

/// <summary>
/// A store folder's commit journal (see <see cref="StoreTransaction"/>) cannot be acted on: it is damaged, it is not
/// trusted (another user could have planted it), it is not a regular file, or the commit it records could not be
/// completed. Nothing was guessed: the journal was left as it is, and <see cref="AtomicStoreException.FilePath"/>
/// names it. Until it is dealt with, saves, updates and transactions in its folder report this error rather than
/// write over stores an interrupted commit may still have to replace.
/// </summary>
public sealed class StoreJournalException : AtomicStoreException
{
    internal StoreJournalException(string journalPath, string message, Exception? innerException = null)
        : base(journalPath, message, innerException)
    {
    }
}
