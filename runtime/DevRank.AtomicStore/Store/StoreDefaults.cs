#if DEVRANK_GENERATOR
// Also compiled into the generator (a linked file), which leaves out of the code it emits what equals a default here.
namespace DevRank.Generators.Runtime;
#else
namespace DevRank.AtomicStore;
#endif

internal static class StoreDefaults
{
    /// <summary>How long <c>Update</c> waits for the store's lock unless told otherwise.</summary>
    public const int LockTimeoutMilliseconds = 30_000;

    /// <summary>What a save promises unless told otherwise: the attribute's and <c>AtomicWriteOptions</c>' default.</summary>
    public const Durability Durability = Durability.Durable;

    /// <summary>
    /// Files up to this size are read into one buffer (validated as UTF-8) and parsed in one go; larger ones
    /// are streamed. Parsing a span is 5-20% faster than System.Text.Json's resumable stream path (docs/benchmarks.md),
    /// and the document's objects take two to three times the file's size anyway, so the buffer adds at most about a
    /// third to a load's peak memory; above 64 MiB the stream keeps that peak bounded.
    /// </summary>
    public const int WholeReadLimit = 64 << 20;

    /// <summary>
    /// The largest buffer any read or save takes from, or gives back to, <c>ArrayPool&lt;byte&gt;.Shared</c>; larger
    /// ones are plain arrays that become garbage when the call returns. The shared pool keeps what it is given for the
    /// life of the process (a 512 MiB buffer for one 100-million-character string stayed after the save, issue item 13).
    /// </summary>
    public const int PooledBufferLimit = 1 << 20;
}
