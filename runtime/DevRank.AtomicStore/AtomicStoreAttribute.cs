namespace DevRank.AtomicStore;

/// <summary>
/// Makes a partial class, record or struct a typed, crash-safe JSON file store. The DevRank.Generators source
/// generator adds <c>Load</c>, <c>TryLoad</c>, <c>LoadOrCreate</c>, <c>Save</c>, <c>Update</c> and their async
/// forms, all bound to <see cref="FileName"/> inside a folder the caller passes.
/// </summary>
/// <example>
/// <code>
/// [AtomicStore("tracker.json", JsonContext = typeof(DevRankJson))]
/// public sealed partial class Tracker : Dictionary&lt;string, DateTimeOffset?&gt; { }
///
/// var tracker = Tracker.LoadOrCreate(dataDir);
/// Tracker.Update(dataDir, t =&gt; t["octocat"] = null);
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = false, Inherited = false)]
public sealed class AtomicStoreAttribute : Attribute
{
    /// <summary>Declares the store and its file.</summary>
    /// <param name="fileName">
    /// The file's name relative to the store folder passed to each call; it may contain sub-folders
    /// (<c>"state/users.json"</c>) but must stay inside that folder.
    /// </param>
    public AtomicStoreAttribute(string fileName)
    {
        FileName = fileName;
    }

    /// <summary>The file's name relative to the store folder.</summary>
    public string FileName { get; }

    /// <summary>
    /// A <c>System.Text.Json.Serialization.JsonSerializerContext</c> whose <c>[JsonSerializable]</c> list includes
    /// the store type. With it the store uses source-generated metadata and is trim- and AOT-safe; without it the
    /// store serializes by reflection and its members say so with <c>[RequiresUnreferencedCode]</c>.
    /// </summary>
    public Type? JsonContext { get; set; }

    /// <summary>Indent the written JSON. Only used without <see cref="JsonContext"/> (a context carries its own options).</summary>
    public bool WriteIndented { get; set; }

    /// <summary>What a completed save promises. Defaults to <see cref="AtomicStore.Durability.Durable"/>.</summary>
    public Durability Durability { get; set; } = StoreDefaults.Durability;

    /// <summary>
    /// Keep the version each save replaces as <c>&lt;name&gt;.bak</c> (see <see cref="AtomicWriteOptions.KeepBackup"/>),
    /// recoverable with <c>Store.RestoreBackup(folder)</c>. Off by default.
    /// </summary>
    public bool KeepBackup { get; set; }

    /// <summary>How long <c>Update</c> waits for another thread or process to release the store's lock. Defaults to 30 000 ms.</summary>
    public int LockTimeoutMilliseconds { get; set; } = StoreDefaults.LockTimeoutMilliseconds;

    /// <summary>
    /// What the file holds. <see cref="StoreFormat.Auto"/> (the default) picks JSON Lines for a <c>.jsonl</c> or
    /// <c>.ndjson</c> file and one JSON document otherwise. A JSON Lines store must be a collection
    /// (<c>ICollection&lt;TItem&gt;</c> with a public parameterless constructor); it also gets <c>Append</c>,
    /// <c>AppendAsync</c>, <c>Read</c> and <c>ReadAsync</c>.
    /// </summary>
    public StoreFormat Format { get; set; }

    /// <summary>
    /// JSON Lines only: whether a save ends the last record with a newline (the default, as most tools write). Turn
    /// it off for a file whose records are joined by newlines with none after the last, so that a file read and saved
    /// unchanged keeps its bytes.
    /// </summary>
    public bool FinalNewline { get; set; } = true;

    /// <summary>
    /// Whose bytes a save writes. <see cref="JsonStyle.JavaScript"/> writes exactly what Node's
    /// <c>JSON.stringify(value, null, Indent)</c> writes (each record as <c>JSON.stringify(record)</c> in a JSON Lines
    /// store), so that a file shared with JavaScript tools and kept in git changes only where its data does.
    /// <see cref="JsonStyle.JavaScriptRecordPerLine"/> writes an array one compact record per line. Defaults to
    /// System.Text.Json's output.
    /// </summary>
    public JsonStyle Style { get; set; }

    /// <summary><see cref="JsonStyle.JavaScript"/> only: spaces per level, 0 to 10, as <c>JSON.stringify</c>'s third argument. Defaults to 2.</summary>
    public int Indent { get; set; } = 2;
}
