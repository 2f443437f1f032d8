namespace DevRank.AtomicStore;

/// <summary>
/// Base type of every error this library raises about a file: it always names the file, and the message says
/// what went wrong and what state the file was left in.
/// </summary>
public abstract class AtomicStoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The full path of the file the operation was about.</param>
    /// <param name="message">What went wrong, and what state the file was left in.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    protected AtomicStoreException(string filePath, string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The full path of the file the operation was about.</summary>
    public string FilePath { get; }
}
