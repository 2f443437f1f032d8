using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.Sample.Stores;

// DevRank's data folder, one generated store per file. Each type is the file's exact root: an object map, an array
// or an object; the generator gives it Load/TryLoad/LoadOrCreate/Update and Save (docs/generator.md).

/// <summary><c>tracker.json</c>: login (or numeric id) → when it was last updated; null = discovered, not updated yet.</summary>
[AtomicStore("tracker.json", JsonContext = typeof(DevRankJson))]
internal sealed partial class Tracker : Dictionary<string, DateTimeOffset?>
{
    /// <summary>Logins are case-insensitive on GitHub; the file keeps the spelling a key was first added with.</summary>
    public Tracker() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary><c>users.json</c>: the ranked user records, sorted by total contributions, one compact record per line.</summary>
[AtomicStore("users.json", JsonContext = typeof(DevRankJson))]
[JsonConverter(typeof(UsersConverter))]
internal sealed partial class Users : List<UserRecord>
{
}

/// <summary><c>visited.json</c>: what the spider has already crawled, such as <c>"repo:owner/name"</c>.</summary>
[AtomicStore("visited.json", JsonContext = typeof(DevRankJson))]
internal sealed partial class Visited : List<string>
{
}

/// <summary><c>blocklist.json</c> (formerly <c>blacklist.json</c>): logins never tracked or ranked.</summary>
[AtomicStore("blocklist.json", JsonContext = typeof(DevRankJson))]
internal sealed partial class Blocklist : List<string>
{
    /// <summary>The legacy name that <c>import</c> also accepts.</summary>
    public const string LegacyFileName = "blacklist.json";
}

/// <summary><c>allowlist.json</c> (formerly <c>whitelist.json</c>): logins always tracked and never pruned.</summary>
[AtomicStore("allowlist.json", JsonContext = typeof(DevRankJson))]
internal sealed partial class Allowlist : List<string>
{
    /// <summary>The legacy name that <c>import</c> also accepts.</summary>
    public const string LegacyFileName = "whitelist.json";
}

/// <summary><c>threshold.json</c>: the entry bar (total contributions) once <c>users.json</c> is at its cap.</summary>
/// <param name="Tc">A user needs more than this many contributions to enter a full <c>users.json</c>.</param>
[AtomicStore("threshold.json", JsonContext = typeof(DevRankJson))]
internal sealed partial record Threshold([property: JsonPropertyName("tc")] int Tc)
{
    /// <summary>No bar yet.</summary>
    public Threshold() : this(0) { }
}

/// <summary>Source-generated System.Text.Json metadata for every store: no reflection, trim- and AOT-safe.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(IsoTimeConverter)])]
[JsonSerializable(typeof(Tracker))]
[JsonSerializable(typeof(Users))]
[JsonSerializable(typeof(UserRecord))]
[JsonSerializable(typeof(Visited))]
[JsonSerializable(typeof(Blocklist))]
[JsonSerializable(typeof(Allowlist))]
[JsonSerializable(typeof(Threshold))]
internal sealed partial class DevRankJson : JsonSerializerContext
{
}
