namespace DevRank.AtomicStore;

/// <summary>
/// A store file could not be loaded. The file is never modified, replaced or deleted because of this error.
/// Subtypes say whether it was missing (<see cref="StoreNotFoundException"/>) or held invalid content
/// (<see cref="StoreCorruptException"/>); this type itself means it could not be read at all (a folder in its
/// place, no permission, a dangling symbolic link).
/// </summary>
public class StoreLoadException : AtomicStoreException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The full path of the store file.</param>
    /// <param name="message">What is wrong with the file.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public StoreLoadException(string filePath, string message, Exception? innerException = null)
        : base(filePath, message, innerException)
    {
    }
}
