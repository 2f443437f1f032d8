using System.Text.RegularExpressions;
using DevRank.AtomicStore;
using DevRank.Sample.Stores;

namespace DevRank.Sample.Commands;

/// <summary>One store file as <c>inspect</c> sees it.</summary>
internal sealed record StoreSummary(string FileName, bool Exists, string Entries, long Size, DateTime? LastModifiedUtc, string? Error);

/// <summary>What <c>inspect</c> reports.</summary>
internal sealed record InspectReport(List<StoreSummary> Stores, List<string> StaleTemps, List<string> Backups);

/// <summary><c>inspect</c>: each store's entries, size and age, and any leftovers of interrupted writes.</summary>
internal static partial class InspectCommand
{
    public static InspectReport Run(string dataDir)
    {
        var stores = new List<StoreSummary>();
        // The layout's own files, then the sample's run history, which both layouts may have.
        Generation generation = Directory.Exists(dataDir) ? Layout.Detect(dataDir) : Generation.DevRank;
        foreach (StoreKind kind in DataFolder.Kinds(generation).Append(DataFolder.HistoryKind))
        {
            var file = new FileInfo(Path.Combine(dataDir, kind.FileName));
            string entries;
            string? error = null;
            try
            {
                entries = kind.Describe(kind.Load(dataDir, kind.FileName));
            }
            catch (StoreNotFoundException)
            {
                // The store says what is missing: a data folder that is a file is an error below, not six missing stores.
                stores.Add(new StoreSummary(kind.FileName, false, "—", 0, null, null));
                continue;
            }
            catch (StoreLoadException ex)
            {
                entries = "unreadable";
                error = $"{ex.GetType().Name}: {ex.Message}";
            }

            bool exists = file.Exists;
            stores.Add(new StoreSummary(kind.FileName, exists, entries, exists ? file.Length : 0, exists ? file.LastWriteTimeUtc : null, error));
        }

        var temps = new List<string>();
        var backups = new List<string>();
        if (Directory.Exists(dataDir))
        {
            foreach (string path in Directory.EnumerateFiles(dataDir).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(path);
                if (StaleTemp().IsMatch(name))
                {
                    temps.Add(name);
                }
                else if (name.EndsWith(".bak", StringComparison.Ordinal))
                {
                    backups.Add(name);
                }
            }
        }

        return new InspectReport(stores, temps, backups);
    }

    /// <summary>The runtime's temp files: <c>.&lt;name&gt;.&lt;16 hex&gt;.tmp</c>, left only by a writer that was killed.</summary>
    [GeneratedRegex(@"^\..+\.[0-9a-f]{16}\.tmp$")]
    private static partial Regex StaleTemp();
}
