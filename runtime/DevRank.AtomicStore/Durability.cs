namespace DevRank.AtomicStore;

/// <summary>How much a completed write promises about surviving a crash.</summary>
public enum Durability
{
    /// <summary>
    /// The default. The new content is flushed to the device (file fsync), renamed over the target, and the rename
    /// itself is flushed (folder fsync) before the write returns: it survives a process crash and a power cut.
    /// </summary>
    Durable = 0,

    /// <summary>
    /// The file is still replaced by an atomic rename, so a crash of the process never leaves a torn file, but
    /// nothing is flushed to the device: after a power cut or kernel crash the file may hold the previous content
    /// or, on some file systems, be empty. Choose it only where losing the last saves to a power cut is acceptable.
    /// </summary>
    AtomicOnly = 1,
}
