using System.Text.Json;
using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.Sample.Stores;

// DevRank's data folder, one generated store per file. Each type is the file's exact root: an object map, an array
// or an object; the generator gives it Load/TryLoad/LoadOrCreate/Update and Save (docs/generator.md).
//
// Every store writes JavaScript's bytes (Style = JsonStyle.JavaScript: JSON.stringify(value, null, 2)), because
// DevRank and DevIndex keep these files in git: a file loaded and saved unchanged must not show up in a diff.
// Times are IsoTimestamp, which keeps the text it was read from ("...20Z" stays "...20Z", not "...20.000Z").

/// <summary><c>tracker.json</c>: login (or numeric id) → when it was last updated; null = discovered, not updated yet.</summary>
[AtomicStore("tracker.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class Tracker : Dictionary<string, IsoTimestamp?>
{
    /// <summary>Logins are case-insensitive on GitHub; the file keeps the spelling a key was first added with.</summary>
    public Tracker() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>
/// <c>users.json</c> (DevRank): the ranked user records, sorted by total contributions, one compact record per line
/// (<c>"[\n" + users.map(u =&gt; JSON.stringify(u)).join(",\n") + "\n]"</c>), raw UTF-8 as Node writes it.
/// </summary>
[AtomicStore("users.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScriptRecordPerLine)]
internal sealed partial class Users : List<UserRecord>
{
}

/// <summary>
/// <c>users.jsonl</c> (DevIndex): the same records as <see cref="Users"/>, one per line, joined by <c>\n</c> with no
/// final newline (<c>users.map(u =&gt; JSON.stringify(u)).join('\n')</c>), so that a save gives DevIndex's bytes back.
/// </summary>
[AtomicStore("users.jsonl", JsonContext = typeof(DevRankJson), FinalNewline = false, Style = JsonStyle.JavaScript)]
internal sealed partial class UsersJsonl : List<UserRecord>
{
}

/// <summary><c>visited.json</c>: what the spider has already crawled, such as <c>"repo:owner/name"</c>.</summary>
[AtomicStore("visited.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class Visited : List<string>
{
}

/// <summary><c>blocklist.json</c> (formerly <c>blacklist.json</c>): logins never tracked or ranked.</summary>
[AtomicStore("blocklist.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class Blocklist : List<string>
{
    /// <summary>The legacy name that <c>import</c> also accepts.</summary>
    public const string LegacyFileName = "blacklist.json";
}

/// <summary><c>allowlist.json</c> (formerly <c>whitelist.json</c>): logins always tracked and never pruned.</summary>
[AtomicStore("allowlist.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class Allowlist : List<string>
{
    /// <summary>The legacy name that <c>import</c> also accepts.</summary>
    public const string LegacyFileName = "whitelist.json";
}

/// <summary><c>threshold.json</c>: the entry bar (total contributions) once the users file is at its cap.</summary>
/// <param name="Tc">A user needs more than this many contributions to enter a full users file.</param>
[AtomicStore("threshold.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial record Threshold([property: JsonPropertyName("tc")] int Tc)
{
    /// <summary>No bar yet.</summary>
    public Threshold() : this(0) { }
}

/// <summary><c>failed.json</c> (DevIndex): login → when fetching it last failed. The job does not use it; import keeps it.</summary>
[AtomicStore("failed.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class Failed : Dictionary<string, IsoTimestamp>
{
}

/// <summary><c>optin-sync.json</c> (DevIndex).</summary>
[AtomicStore("optin-sync.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class OptInSync
{
    /// <summary><c>lastCheck</c>: when the opt-in list was last synchronised.</summary>
    [JsonPropertyName("lastCheck")]
    public IsoTimestamp? LastCheck { get; set; }

    /// <summary>Fields this version does not know: kept and written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary><c>optout-sync.json</c> (DevIndex).</summary>
[AtomicStore("optout-sync.json", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class OptOutSync
{
    /// <summary><c>lastCheck</c>: when the opt-out list was last synchronised.</summary>
    [JsonPropertyName("lastCheck")]
    public IsoTimestamp? LastCheck { get; set; }

    /// <summary>Fields this version does not know: kept and written back unchanged.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}

/// <summary>
/// <c>history.jsonl</c>: one record appended per updater batch, once the batch is acknowledged. Not a DevRank file:
/// the sample's own run log, which grows by <c>Append</c> (one write and one fsync) instead of rewriting the file.
/// </summary>
[AtomicStore("history.jsonl", JsonContext = typeof(DevRankJson), Style = JsonStyle.JavaScript)]
internal sealed partial class History : List<BatchRecord>
{
}

/// <summary>One updater batch in <c>history.jsonl</c>.</summary>
internal sealed class BatchRecord
{
    /// <summary><c>run</c>: a random id of the run (process) that made the batch.</summary>
    [JsonPropertyName("run")]
    public string Run { get; set; } = "";

    /// <summary><c>batch</c>: the batch's number within its run, from 1.</summary>
    [JsonPropertyName("batch")]
    public int Batch { get; set; }

    /// <summary><c>at</c>: the fetch time of the batch, the <c>lu</c> its users got.</summary>
    [JsonPropertyName("at")]
    public IsoTimestamp At { get; set; }

    /// <summary><c>updated</c>: logins updated.</summary>
    [JsonPropertyName("updated")]
    public int Updated { get; set; }

    /// <summary><c>kept</c>: of those, the ones in the users file after the batch.</summary>
    [JsonPropertyName("kept")]
    public int Kept { get; set; }

    /// <summary><c>pruned</c>: users pruned by the batch.</summary>
    [JsonPropertyName("pruned")]
    public int Pruned { get; set; }

    /// <summary><c>users</c>: the size of the users file after the batch.</summary>
    [JsonPropertyName("users")]
    public int Users { get; set; }

    /// <summary><c>tc</c>: the entry bar after the batch.</summary>
    [JsonPropertyName("tc")]
    public int Threshold { get; set; }
}

/// <summary>Source-generated System.Text.Json metadata for every store: no reflection, trim- and AOT-safe.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Tracker))]
[JsonSerializable(typeof(Users))]
[JsonSerializable(typeof(UsersJsonl))]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(Visited))]
[JsonSerializable(typeof(Blocklist))]
[JsonSerializable(typeof(Allowlist))]
[JsonSerializable(typeof(Threshold))]
[JsonSerializable(typeof(Failed))]
[JsonSerializable(typeof(OptInSync))]
[JsonSerializable(typeof(OptOutSync))]
[JsonSerializable(typeof(History))]
[JsonSerializable(typeof(BatchRecord))]
internal sealed partial class DevRankJson : JsonSerializerContext
{
}
