using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>
/// The opt-in previous version of a file, <c>&lt;name&gt;.bak</c>. Writes never modify a file in place, so the
/// replaced version's inode is immutable once replaced: a hard link to it is a true copy at no cost.
/// </summary>
internal static class Backups
{
    public const string Suffix = ".bak";

    public static string PathFor(string target) => target + Suffix;

    /// <summary>Makes <c>&lt;target&gt;.bak</c> the version of <paramref name="target"/> that is about to be replaced.</summary>
    public static void KeepPrevious(string target, AtomicWriteOptions options)
    {
        if (!File.Exists(target))
        {
            return;
        }

        string backup = PathFor(target);
        // Not a ".tmp" name: a sweep in another process must never take this link for a dead writer's temp (it
        // carries no lock of its own, and locking it would lock the live target's inode). A crash between the link
        // and the rename can leave one such ".link" file behind, which is safe to delete.
        string linkPath = Path.Combine(Path.GetDirectoryName(target)!, TempFiles.NameFor(Path.GetFileName(backup), Random.Shared.NextInt64(), ".link"));
        if (DurableIO.TryHardLink(target, linkPath))
        {
            try
            {
                // Renamed over the old backup, so there is always a whole .bak; the folder fsync that follows the
                // main rename makes both durable.
                DurableIO.Replace(linkPath, backup);
                return;
            }
            catch
            {
                File.Delete(linkPath);
                throw;
            }
        }

        // No hard links here (FAT, some network shares): an atomic, durable copy instead.
        CopyAtomically(target, backup, options.Durability);
    }

    /// <summary>Keeps <paramref name="target"/> under <paramref name="keepAs"/> too (hard link, else a durable copy).</summary>
    public static void Preserve(string target, string keepAs, Durability durability)
    {
        if (!DurableIO.TryHardLink(target, keepAs))
        {
            CopyAtomically(target, keepAs, durability);
        }
    }

    /// <summary>
    /// Replaces <paramref name="destination"/> with the exact bytes of <paramref name="source"/>, atomically and
    /// without a backup of its own (a backup of the file being replaced is never what a copy wants).
    /// </summary>
    public static void CopyAtomically(string source, string destination, Durability durability)
    {
        using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        AtomicFile.Write(destination, from, static (stream, input) => input.CopyTo(stream), new AtomicWriteOptions { Durability = durability });
    }
}
