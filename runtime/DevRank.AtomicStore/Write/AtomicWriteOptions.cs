namespace DevRank.AtomicStore;

/// <summary>Options for <see cref="AtomicFile"/> writes and for the stores built on them.</summary>
public sealed class AtomicWriteOptions
{
    /// <summary>The options used when none are given: durable, Unix mode kept, no backup.</summary>
    public static AtomicWriteOptions Default { get; } = new();

    /// <summary>What a completed write promises. Defaults to <see cref="AtomicStore.Durability.Durable"/>.</summary>
    public Durability Durability { get; init; } = StoreDefaults.Durability;

    /// <summary>
    /// Keep the version each write replaces as <c>&lt;name&gt;.bak</c> beside the file (a hard link where the file
    /// system allows, else a durable copy), so that a file damaged by something outside this library can be
    /// recovered with <see cref="FileStore{T}.RestoreBackup(string)"/>. Off by default.
    /// </summary>
    public bool KeepBackup { get; init; }

    /// <summary>
    /// Size of the buffer between a streaming callback and the temp file, in bytes. Large writes bypass it.
    /// Defaults to 16 KiB.
    /// </summary>
    public int BufferSize
    {
        get => _bufferSize;
        init => _bufferSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The buffer size must be positive.");
    }

    private readonly int _bufferSize = 16 * 1024;
}
