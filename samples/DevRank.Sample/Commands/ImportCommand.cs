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
/// <c>import --from DIR</c>: loads each DevRank (or DevIndex) file found in a folder through its typed store (so it is validated
/// exactly as the job would read it), and saves it durably into the data folder. A bad file is reported with its
/// typed error and not copied; the others still are.
/// <para>
/// The data folder must be empty (or not exist) unless <c>--force</c>: an import over a folder of data would replace
/// its files without a word. With <c>--force</c>, each file it replaces is kept as <c>&lt;name&gt;.bak</c> beside it
/// (the runtime's backup, which <c>RestoreBackup</c> and <c>inspect</c> know), and files it does not import are left
/// alone. A <c>&lt;name&gt;.bak</c> already there is replaced by the newer backup, as every backup save does.
/// </para>
/// </summary>
internal static class ImportCommand
{
    /// <exception cref="UsageException">The data folder is not empty and <paramref name="force"/> is false; nothing was changed.</exception>
    public static List<ImportRow> Run(string from, string dataDir, bool force = false)
    {
        if (!Directory.Exists(from))
        {
            throw new DirectoryNotFoundException($"The folder to import, '{from}', does not exist.");
        }

        // Checked before anything is read or written, so a refusal changes nothing.
        if (!force && Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Take(2).Select(Path.GetFileName).ToList() is [string first, ..] entries)
        {
            throw new UsageException(
                $"import would replace the data in {dataDir}, which is not empty (it holds {first}{(entries.Count > 1 ? " and more" : "")}). "
                + "Import into an empty or new folder, or add --force to replace its files; each file replaced is then kept as <name>.bak beside it.");
        }

        // DevRank's folder or DevIndex's: the files it holds say which (Layout.Detect), and the same layout is
        // written, file for file, so that a save of each store gives the folder's own bytes back.
        Generation generation = Layout.Detect(from);
        var rows = new List<ImportRow>();
        foreach (StoreKind kind in DataFolder.Kinds(generation))
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
                    kind.SaveKeepingBackup(value, dataDir);
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
