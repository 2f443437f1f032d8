namespace DevRank.AtomicStore;

/// <summary>
/// The new content was renamed into place and is what readers now see, but flushing the folder failed, so whether
/// the rename survives a power cut is unknown. The write is not retried: after a failed fsync the kernel may already
/// have dropped the data it could not write, and a second, successful fsync would hide that.
/// </summary>
public sealed class DurabilityUnknownException : AtomicStoreException
{
    internal DurabilityUnknownException(string filePath, string reason, int nativeErrorCode)
        : base(filePath, $"The new content of '{filePath}' is in place, but flushing its folder failed ({reason}), so it is not known to survive a power cut. Check the device before trusting it.", null)
    {
        NativeErrorCode = nativeErrorCode;
    }

    /// <summary>The operating system's error number of the failed folder flush.</summary>
    public int NativeErrorCode { get; }
}
