using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>Creates store folders so that they, like the files in them, survive a power cut.</summary>
internal static class DurableFolders
{
    /// <summary>Creates <paramref name="folder"/> and its missing parents, each flushed into its parent when durable.</summary>
    /// <exception cref="FolderException">A level is not a folder, or creating one failed.</exception>
    public static void Create(string folder, Durability durability)
    {
        // Remember which levels are new: each new entry must be flushed in its parent for the path to be durable.
        var created = new Stack<string>();
        for (string? level = folder; level is not null && !Directory.Exists(level); level = Path.GetDirectoryName(level))
        {
            if (Exists(level))
            {
                // A file (or a link to one, or a dangling link) where a folder must be: an error, never "create it".
                throw new FolderException(NotAFolder(level), null);
            }

            created.Push(level);
        }

        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FolderException(NotAFolderIn(folder) is { } level ? NotAFolder(level) : $"creating the folder '{folder}' failed: {ex.Message}", ex);
        }

        if (durability != Durability.Durable)
        {
            return;
        }

        foreach (string level in created)
        {
            string parent = Path.GetDirectoryName(level)!;
            int errno = DurableIO.FlushDirectory(parent);
            if (errno != 0)
            {
                // Before any temp exists: the save stops here, so that a save that throws has written nothing. Not
                // retried (a second, successful fsync could hide what the first one lost), and not carried on with,
                // which would put content in place under a path that may not survive a power cut.
                throw new FolderException(
                    $"the folder '{level}' was created, but flushing its parent '{parent}' failed ({Libc.Describe(errno)}), so the folder is not known to survive a power cut",
                    null,
                    errno);
            }
        }
    }

    /// <summary>
    /// The nearest level of <paramref name="folder"/> (itself or a parent) that exists but is not a folder, or null.
    /// Costs one stat when the folder exists; meant for the error paths of "could not find a part of the path".
    /// </summary>
    public static string? NotAFolderIn(string folder)
    {
        for (string? level = folder; level is not null; level = Path.GetDirectoryName(level))
        {
            if (Directory.Exists(level))
            {
                return null;
            }

            if (Exists(level))
            {
                return level;
            }
        }

        return null;
    }

    /// <summary>What is wrong with <paramref name="level"/>, which exists but is not a folder.</summary>
    public static string NotAFolder(string level) => new FileInfo(level).LinkTarget is { } link
        ? $"'{level}' is a symbolic link to '{link}', which is not a folder"
        : File.Exists(level) ? $"'{level}' is a file, not a folder" : $"'{level}' is not a folder";

    // lstat: anything at all under this name, a dangling link included (FileSystemInfo reports a missing name as -1).
    private static bool Exists(string path) => (int)new FileInfo(path).Attributes != -1;
}

/// <summary>A store folder could not be created; the store turns it into the typed error of the operation.</summary>
/// <remarks>The message says what went wrong and names the folder, without a full stop, for the caller's sentence.</remarks>
internal sealed class FolderException(string reason, Exception? inner, int nativeErrorCode = 0) : Exception(reason, inner)
{
    /// <summary>The errno of a failed flush of a new folder's parent; 0 for a path problem.</summary>
    public int NativeErrorCode { get; } = nativeErrorCode;
}
