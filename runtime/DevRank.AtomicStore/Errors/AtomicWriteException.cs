namespace DevRank.AtomicStore;

/// <summary>
/// An atomic write failed before its rename: the target still holds exactly its previous content (or still does not
/// exist) and the temp file has been removed.
/// </summary>
public sealed class AtomicWriteException : AtomicStoreException
{
    internal AtomicWriteException(string filePath, AtomicWriteStage stage, string reason, Exception? innerException, int nativeErrorCode = 0)
        : this(filePath, stage, reason, innerException, nativeErrorCode, "The previous content of the file is unchanged.")
    {
    }

    /// <summary>A failure whose outcome is not the usual one: an append that could not be taken back says what the file may hold.</summary>
    internal AtomicWriteException(string filePath, AtomicWriteStage stage, string reason, Exception? innerException, int nativeErrorCode, string outcome)
        : base(filePath, $"Could not save '{filePath}': {reason} {outcome}", innerException)
    {
        Stage = stage;
        NativeErrorCode = nativeErrorCode;
    }

    /// <summary>The step at which the write failed.</summary>
    public AtomicWriteStage Stage { get; }

    /// <summary>The operating system's error number (errno, or a Win32 error code), or 0 when the failure did not come from a system call.</summary>
    public int NativeErrorCode { get; }
}
