#if DEVRANK_GENERATOR
// Also compiled into the generator (a linked file), so that the names it emits and the values it accepts are these.
namespace DevRank.Generators.Runtime;
#else
namespace DevRank.AtomicStore;
#endif

/// <summary>Whose bytes a store writes: System.Text.Json's, or exactly what JavaScript's <c>JSON.stringify</c> writes.</summary>
#if DEVRANK_GENERATOR
internal
#else
public
#endif
enum JsonStyle
{
    /// <summary>The default: what System.Text.Json writes with the store's options.</summary>
    SystemTextJson = 0,

    /// <summary>
    /// Byte for byte what Node writes with <c>JSON.stringify(value, null, indent)</c>: its spacing, raw UTF-8 with its
    /// escapes, its number text and its key order (integer-like keys first). For files shared with JavaScript tools
    /// and kept in git, where a save that changes nothing must change no byte. A JSON Lines store writes each
    /// record as <c>JSON.stringify(record)</c>.
    /// </summary>
    JavaScript = 1,

    /// <summary>
    /// A JSON array written one record per line, as DevRank writes <c>users.json</c>:
    /// <c>"[\n" + records.map(r =&gt; JSON.stringify(r)).join(",\n") + "\n]"</c>. The root must be an array (a
    /// collection). Diffs of such a file show the records that changed, and nothing else.
    /// </summary>
    JavaScriptRecordPerLine = 2,
}
