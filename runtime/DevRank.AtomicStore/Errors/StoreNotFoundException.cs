namespace DevRank.AtomicStore;

/// <summary>The store file does not exist.</summary>
public sealed class StoreNotFoundException : StoreLoadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The full path of the missing store file.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public StoreNotFoundException(string filePath, Exception? innerException = null)
        : base(filePath, $"The store file '{filePath}' does not exist.", innerException)
    {
    }
}
