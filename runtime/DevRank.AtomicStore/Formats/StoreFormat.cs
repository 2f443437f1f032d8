#if DEVRANK_GENERATOR
// Also compiled into the generator (a linked file), so that the names it emits and the values it accepts are these.
namespace DevRank.Generators.Runtime;
#else
namespace DevRank.AtomicStore;
#endif

/// <summary>What a store's file holds: chosen by <c>[AtomicStore(Format = ...)]</c>, or by the file's extension.</summary>
#if DEVRANK_GENERATOR
internal
#else
public
#endif
enum StoreFormat
{
    /// <summary>
    /// The default: JSON Lines for a file named <c>*.jsonl</c> or <c>*.ndjson</c> (any case), one JSON document
    /// otherwise.
    /// </summary>
    Auto = 0,

    /// <summary>One JSON document (<c>JsonFileStore&lt;T&gt;</c>): every save rewrites the whole file.</summary>
    Json = 1,

    /// <summary>
    /// JSON Lines: one JSON value per line. The store type is a collection; records can be appended durably without
    /// rewriting the file, and read one at a time.
    /// </summary>
    JsonLines = 2,
}
