using System.Globalization;
using System.Text.Json.Serialization.Metadata;
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

/// <summary>The files of a DevRank data folder.</summary>
internal static class DataFolder
{
    public static readonly IReadOnlyList<StoreKind> Kinds =
    [
        Kind<Users>(null, u => u.Count, u => Count(u.Count, "users")),
        Kind<Tracker>(null, t => t.Count, t => Count(t.Count, "logins") + ", " + Count(t.Values.Count(static v => v is null), "pending")),
        Kind<Visited>(null, v => v.Count, v => Count(v.Count, "entries")),
        Kind<Blocklist>(Blocklist.LegacyFileName, b => b.Count, b => Count(b.Count, "logins"), static (a, b) => Union(a, b)),
        Kind<Allowlist>(Allowlist.LegacyFileName, a => a.Count, a => Count(a.Count, "logins"), static (a, b) => Union(a, b)),
        Kind<Threshold>(null, static _ => 1, t => "tc = " + t.Tc.ToString(CultureInfo.InvariantCulture)),
    ];

    private static StoreKind Kind<T>(string? legacy, Func<T, int> count, Func<T, string> describe, Func<T, T, T>? merge = null)
        where T : IAtomicStore<T>
    {
        JsonTypeInfo<T> info = ((JsonFileStore<T>)T.Store).TypeInfo;
        return new StoreKind
        {
            FileName = T.Store.FileName,
            LegacyFileName = legacy,
            // Another file name needs its own JsonFileStore; the type, its metadata and its checks are the same.
            Load = (folder, fileName) => (fileName == T.Store.FileName ? T.Store : new JsonFileStore<T>(fileName, info)).Load(folder)!,
            Count = value => count((T)value),
            Describe = value => describe((T)value),
            // The generated store has no backup (the job does not want one on every save); import does.
            SaveKeepingBackup = (value, folder) => new JsonFileStore<T>(T.Store.FileName, info, new AtomicWriteOptions
            {
                KeepBackup = true,
                Durability = T.Store.WriteOptions.Durability,
            }, T.Store.LockTimeout).Save(folder, (T)value),
            Merge = merge is null ? null : (a, b) => merge((T)a, (T)b)!,
        };
    }

    private static T Union<T>(T first, T second) where T : List<string>
    {
        var seen = new HashSet<string>(first, StringComparer.OrdinalIgnoreCase);
        first.AddRange(second.Where(seen.Add));
        return first;
    }

    private static string Count(int n, string what) => n.ToString("N0", CultureInfo.InvariantCulture) + " " + what;
}
