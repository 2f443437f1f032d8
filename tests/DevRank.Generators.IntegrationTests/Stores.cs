using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.Generators.IntegrationTests;

/// <summary>A record with a primary constructor, serialized through a source-generated context.</summary>
/// <param name="Theme">The UI theme.</param>
/// <param name="Volume">The volume.</param>
[AtomicStore("settings.json", JsonContext = typeof(StoresJson))]
public sealed partial record Settings(string Theme, int Volume)
{
    /// <summary>The settings of a first run.</summary>
    public Settings() : this("light", 5) { }
}

/// <summary>A mutable class serialized by reflection, indented.</summary>
[AtomicStore("notes.json", WriteIndented = true)]
public sealed partial class Notes
{
    /// <summary>The notes.</summary>
    public IList<string> Items { get; init; } = [];
}

/// <summary>DevRank's <c>visited.json</c>: a JSON array of strings.</summary>
[AtomicStore("visited.json", JsonContext = typeof(StoresJson))]
public sealed partial class Visited : List<string>
{
}

/// <summary>DevRank's <c>tracker.json</c>: a JSON object from login to last-seen time, or null.</summary>
[AtomicStore("tracker.json", JsonContext = typeof(StoresJson))]
public sealed partial class Tracker : Dictionary<string, DateTimeOffset?>
{
    /// <summary>Logins are case-insensitive on GitHub, so they are here too.</summary>
    public Tracker() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>The smallest store: a record with a parameterless constructor, serialized by reflection.</summary>
/// <param name="N">A number.</param>
[AtomicStore("x.json")]
public partial record X(int N)
{
    /// <summary>Zero.</summary>
    public X() : this(0) { }
}

/// <summary>A store without a parameterless constructor, in a sub-folder: no <c>LoadOrCreate(folder)</c>.</summary>
/// <param name="Taken">When it was taken.</param>
/// <param name="Count">How many.</param>
[AtomicStore("state/snapshot.json", JsonContext = typeof(StoresJson))]
public sealed partial record Snapshot(DateTimeOffset Taken, int Count);

/// <summary>A struct store with non-default options.</summary>
[AtomicStore("counter.json", JsonContext = typeof(StoresJson), Durability = Durability.AtomicOnly, LockTimeoutMilliseconds = 250)]
public partial struct Counter
{
    /// <summary>The count.</summary>
    public int Value { get; set; }
}

/// <summary>Source-generated metadata for the context-based stores.</summary>
/// <summary>A store that keeps the version each save replaces, for explicit recovery.</summary>
/// <param name="Entries">The journal's entries.</param>
[AtomicStore("journal.json", JsonContext = typeof(StoresJson), KeepBackup = true)]
public sealed partial record Journal(List<string> Entries)
{
    /// <summary>An empty journal.</summary>
    public Journal() : this(new List<string>()) { }
}

[JsonSerializable(typeof(Runs))]
[JsonSerializable(typeof(Journal))]
[JsonSerializable(typeof(Settings))]
[JsonSerializable(typeof(Visited))]
[JsonSerializable(typeof(Tracker))]
[JsonSerializable(typeof(Snapshot))]
[JsonSerializable(typeof(Counter))]
internal sealed partial class StoresJson : JsonSerializerContext
{
}

/// <summary>A JSON Lines store: one run per line, appended to.</summary>
[AtomicStore("runs/history.jsonl", JsonContext = typeof(StoresJson))]
internal sealed partial class Runs : List<Run>
{
}

/// <summary>One record of <see cref="Runs"/>.</summary>
internal sealed record Run(int Batch, string Note);

/// <summary>A JSON Lines store by reflection, in JavaScript's bytes, records joined by newlines with none after the last.</summary>
[AtomicStore("names.ndjson", Style = JsonStyle.JavaScript, FinalNewline = false)]
internal sealed partial class Names : List<string>
{
}
