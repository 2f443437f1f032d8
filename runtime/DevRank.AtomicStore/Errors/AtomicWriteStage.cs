namespace DevRank.AtomicStore;

/// <summary>The step of an atomic replace at which a write failed. Every stage here is before the rename.</summary>
public enum AtomicWriteStage
{
    /// <summary>Resolving the target or creating the temp file beside it.</summary>
    CreateTemp,

    /// <summary>Writing the content, including an exception thrown by the caller's own write callback.</summary>
    Write,

    /// <summary>Flushing the temp file to the device (fsync).</summary>
    FlushToDisk,

    /// <summary>Keeping the replaced version as <c>&lt;name&gt;.bak</c> (<see cref="AtomicWriteOptions.KeepBackup"/>).</summary>
    Backup,

    /// <summary>Renaming the temp file over the target.</summary>
    Replace,

    /// <summary>
    /// Creating the store's missing folders, before any temp file: a level of the path is not a folder, or making or
    /// flushing a new folder failed. Nothing was written.
    /// </summary>
    CreateFolder,
}
