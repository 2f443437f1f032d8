#if DEVRANK_GENERATOR
// Also compiled into the generator (a linked file), so that the names it emits and the values it accepts are these.
namespace DevRank.Generators.Runtime;
#else
namespace DevRank.AtomicStore;
#endif

/// <summary>How much a completed write promises about surviving a crash.</summary>
#if DEVRANK_GENERATOR
internal
#else
public
#endif
enum Durability
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
