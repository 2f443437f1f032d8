namespace DevRank.AtomicStore;

/// <summary>
/// Another thread or process held the store's update lock for longer than the store's lock timeout.
/// Nothing was read or written.
/// </summary>
public sealed class StoreLockTimeoutException : AtomicStoreException
{
    internal StoreLockTimeoutException(string filePath, string lockPath, TimeSpan timeout)
        : base(filePath, $"Timed out after {timeout.TotalSeconds:0.###} s waiting for the update lock of '{filePath}' ('{lockPath}'), held by another thread or process. Nothing was changed.", null)
    {
        LockPath = lockPath;
        Timeout = timeout;
    }

    /// <summary>The lock file that was contended.</summary>
    public string LockPath { get; }

    /// <summary>How long the caller waited.</summary>
    public TimeSpan Timeout { get; }
}
