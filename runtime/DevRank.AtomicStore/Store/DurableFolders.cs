using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>Creates store folders so that they, like the files in them, survive a power cut.</summary>
internal static class DurableFolders
{
    public static void Create(string folder, Durability durability)
    {
        // Remember which levels are new: each new entry must be flushed in its parent for the path to be durable.
        var created = new Stack<string>();
        for (string? level = folder; level is not null && !Directory.Exists(level); level = Path.GetDirectoryName(level))
        {
            created.Push(level);
        }

        Directory.CreateDirectory(folder);
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
                throw new DurabilityUnknownException(level, $"flushing the new folder's parent failed: {Libc.Describe(errno)}", errno);
            }
        }
    }
}
