using System.Globalization;
using DevRank.AtomicStore;

namespace DevRank.Sample.Stores;

/// <summary>One kind of store file in a DevRank data folder, for the commands that treat them all alike.</summary>
internal sealed class StoreKind
{
    public required string FileName { get; init; }

    /// <summary>An older name that <c>import</c> also accepts (<c>blacklist.json</c>, <c>whitelist.json</c>).</summary>
    public string? LegacyFileName { get; init; }

    /// <summary>Loads the file called <c>fileName</c> from a folder through the typed store; throws the store's typed errors.</summary>
    public required Func<string, string, object> Load { get; init; }

    /// <summary>Entries in a loaded value.</summary>
    public required Func<object, int> Count { get; init; }

    /// <summary>A short description of a loaded value.</summary>
    public required Func<object, string> Describe { get; init; }

    /// <summary>
    /// Saves a loaded value durably into a folder under <see cref="FileName"/>, keeping the file it replaces (if any)
    /// as <c>&lt;name&gt;.bak</c>: the runtime's <see cref="AtomicWriteOptions.KeepBackup"/>, which links the old
    /// version before the rename, so there is never a moment without one of the two.
    /// </summary>
    public required Action<object, string> SaveKeepingBackup { get; init; }

    /// <summary>Combines a value loaded from the legacy name into one loaded from the current name (lists only).</summary>
    public Func<object, object, object>? Merge { get; init; }
}

/// <summary>The files of a DevRank or DevIndex data folder.</summary>
internal static class DataFolder
{
    private static readonly StoreKind UsersKind = Kind<Users>(null, u => u.Count, u => Count(u.Count, "users"));
    private static readonly StoreKind UsersJsonlKind = Kind<UsersJsonl>(null, u => u.Count, u => Count(u.Count, "users"));

    private static readonly StoreKind[] Shared =
    [
        Kind<Tracker>(null, t => t.Count, t => Count(t.Count, "logins") + ", " + Count(t.Values.Count(static v => v is null), "pending")),
        Kind<Visited>(null, v => v.Count, v => Count(v.Count, "entries")),
        Kind<Blocklist>(Blocklist.LegacyFileName, b => b.Count, b => Count(b.Count, "logins"), static (a, b) => Union(a, b)),
        Kind<Allowlist>(Allowlist.LegacyFileName, a => a.Count, a => Count(a.Count, "logins"), static (a, b) => Union(a, b)),
        Kind<Threshold>(null, static _ => 1, t => "tc = " + t.Tc.ToString(CultureInfo.InvariantCulture)),
    ];

    private static readonly StoreKind[] DevIndexOnly =
    [
        Kind<Failed>(null, f => f.Count, f => Count(f.Count, "logins")),
        Kind<OptInSync>(null, static _ => 1, s => "lastCheck = " + (s.LastCheck?.Text ?? "none")),
        Kind<OptOutSync>(null, static _ => 1, s => "lastCheck = " + (s.LastCheck?.Text ?? "none")),
    ];

    /// <summary>The DevRank files of a folder of <see cref="Generation.DevRank"/>'s layout.</summary>
    public static readonly IReadOnlyList<StoreKind> DevRank = [UsersKind, .. Shared];

    /// <summary>The DevIndex files of a folder of <see cref="Generation.DevIndex"/>'s layout.</summary>
    public static readonly IReadOnlyList<StoreKind> DevIndex = [UsersJsonlKind, .. Shared, .. DevIndexOnly];

    /// <summary>The sample's own run history (not a DevRank file): <c>inspect</c> and <c>crash-demo</c> read it too.</summary>
    public static readonly StoreKind HistoryKind = Kind<History>(null, h => h.Count, h => Count(h.Count, "batches"));

    /// <summary>The files of a generation's layout.</summary>
    public static IReadOnlyList<StoreKind> Kinds(Generation generation) => generation == Generation.DevIndex ? DevIndex : DevRank;

    private static StoreKind Kind<T>(string? legacy, Func<T, int> count, Func<T, string> describe, Func<T, T, T>? merge = null)
        where T : IAtomicStore<T>
    {
        return new StoreKind
        {
            FileName = T.Store.FileName,
            LegacyFileName = legacy,
            // Another file name needs its own store; the type, its metadata, style and checks are the same.
            Load = (folder, fileName) => (fileName == T.Store.FileName ? T.Store : Reopen(T.Store, fileName, T.Store.WriteOptions)).Load(folder)!,
            Count = value => count((T)value),
            Describe = value => describe((T)value),
            // The generated store has no backup (the job does not want one on every save); import does.
            SaveKeepingBackup = (value, folder) => Reopen(T.Store, T.Store.FileName, new AtomicWriteOptions
            {
                KeepBackup = true,
                Durability = T.Store.WriteOptions.Durability,
            }).Save(folder, (T)value),
            Merge = merge is null ? null : (a, b) => merge((T)a, (T)b)!,
        };
    }

    /// <summary>The same store (metadata, style, final newline, lock timeout) under another name or write options.</summary>
    private static FileStore<T> Reopen<T>(FileStore<T> store, string fileName, AtomicWriteOptions options) => (object)store switch
    {
        JsonFileStore<T> json => new JsonFileStore<T>(fileName, json.TypeInfo, options, json.LockTimeout, json.Style, json.Indent),
        // UsersJsonl and History are the only JSON Lines stores, and both hold records of a known type.
        JsonLinesFileStore<UsersJsonl, UserRecord> lines => (FileStore<T>)(object)new JsonLinesFileStore<UsersJsonl, UserRecord>(
            fileName, lines.ItemTypeInfo, options, lines.LockTimeout, lines.FinalNewline, lines.Style),
        JsonLinesFileStore<History, BatchRecord> lines => (FileStore<T>)(object)new JsonLinesFileStore<History, BatchRecord>(
            fileName, lines.ItemTypeInfo, options, lines.LockTimeout, lines.FinalNewline, lines.Style),
        _ => throw new NotSupportedException($"{store.GetType().Name} cannot be reopened under another name"),
    };

    private static T Union<T>(T first, T second) where T : List<string>
    {
        var seen = new HashSet<string>(first, StringComparer.OrdinalIgnoreCase);
        first.AddRange(second.Where(seen.Add));
        return first;
    }

    private static string Count(int n, string what) => n.ToString("N0", CultureInfo.InvariantCulture) + " " + what;
}
