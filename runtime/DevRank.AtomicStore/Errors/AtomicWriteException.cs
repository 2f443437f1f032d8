namespace DevRank.AtomicStore;

/// <summary>
/// An atomic write failed before its rename: the target still holds exactly its previous content (or still does not
/// exist) and the temp file has been removed.
/// </summary>
public sealed class AtomicWriteException : AtomicStoreException
{
    internal AtomicWriteException(string filePath, AtomicWriteStage stage, string reason, Exception? innerException, int nativeErrorCode = 0)
        : base(filePath, $"Could not save '{filePath}': {reason} The previous content of the file is unchanged.", innerException)
    {
        Stage = stage;
        NativeErrorCode = nativeErrorCode;
    }

    /// <summary>The step at which the write failed.</summary>
    public AtomicWriteStage Stage { get; }

    /// <summary>The operating system's error number (errno, or a Win32 error code), or 0 when the failure did not come from a system call.</summary>
    public int NativeErrorCode { get; }
}
