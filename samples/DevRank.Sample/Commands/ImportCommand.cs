using DevRank.AtomicStore;
using DevRank.Sample.Stores;

namespace DevRank.Sample.Commands;

/// <summary>One file's outcome in an import.</summary>
/// <param name="Store">The store file it goes to.</param>
/// <param name="Sources">The file names read from the source folder.</param>
/// <param name="Entries">Entries imported (0 when it failed).</param>
/// <param name="Error">The typed error, when the file was rejected and not copied.</param>
internal sealed record ImportRow(string Store, IReadOnlyList<string> Sources, int Entries, AtomicStoreException? Error)
{
    public bool Ok => Error is null;
}

/// <summary>
/// <c>import --from DIR</c>: loads each DevRank file found in a folder through its typed store (so it is validated
/// exactly as the job would read it), and saves it durably into the data folder. A bad file is reported with its
/// typed error and not copied; the others still are.
/// </summary>
internal static class ImportCommand
{
    public static List<ImportRow> Run(string from, string dataDir)
    {
        if (!Directory.Exists(from))
        {
            throw new DirectoryNotFoundException($"The folder to import, '{from}', does not exist.");
        }

        var rows = new List<ImportRow>();
        foreach (StoreKind kind in DataFolder.Kinds)
        {
            string[] sources = [.. new[] { kind.FileName, kind.LegacyFileName }
                .OfType<string>()
                .Where(name => File.Exists(Path.Combine(from, name)))];
            if (sources.Length == 0)
            {
                continue;
            }

            object? value = null;
            AtomicStoreException? error = null;
            foreach (string source in sources)
            {
                try
                {
                    object loaded = kind.Load(from, source);
                    value = value is null ? loaded : kind.Merge!(value, loaded);
                }
                catch (StoreLoadException ex)
                {
                    error = ex;
                    break;
                }
            }

            if (error is null && value is not null)
            {
                try
                {
                    kind.Save(value, dataDir);
                }
                catch (AtomicStoreException ex)
                {
                    error = ex;
                }
            }

            rows.Add(new ImportRow(kind.FileName, sources, error is null && value is not null ? kind.Count(value) : 0, error));
        }

        return rows;
    }
}
