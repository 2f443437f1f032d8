using System.Globalization;
using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// The opt-in previous version of a file, <c>&lt;name&gt;.bak</c>. Writes never modify a file in place, so the
/// replaced version's inode is immutable once replaced: a hard link to it is a true copy at no cost.
/// </summary>
internal static class Backups
{
    public const string Suffix = ".bak";

    // Names of a write's own backup files: its temp's random part, so a sweep can tell when their writer is gone.
    private const string LinkSuffix = ".link";
    private const string PreviousSuffix = ".prev";

    public static string PathFor(string target) => target + Suffix;

    /// <summary>
    /// Makes <c>&lt;target&gt;.bak</c> the version of <paramref name="target"/> that is about to be replaced, keeping
    /// the backup it replaces until the write is decided: the returned swap undoes it if the write then fails.
    /// </summary>
    /// <param name="target">The file about to be replaced.</param>
    /// <param name="id">The random part of the write's temp name.</param>
    /// <param name="durability">Durability of a copy, where hard links are not possible.</param>
    /// <returns>The swap to complete or undo; null when there is nothing to back up.</returns>
    public static Swap? KeepPrevious(string target, long id, Durability durability)
    {
        if (!File.Exists(target))
        {
            return null;
        }

        string backup = PathFor(target);
        string directory = Path.GetDirectoryName(target)!;
        string backupName = Path.GetFileName(backup);
        // Not ".tmp" names: a sweep must never lock these (they share the live file's inode, and .NET readers take a
        // shared lock on it); it removes them once the temp of the same id is gone.
        string link = Path.Combine(directory, TempFiles.NameFor(backupName, id, LinkSuffix));
        string? previous = File.Exists(backup) ? Path.Combine(directory, TempFiles.NameFor(backupName, id, PreviousSuffix)) : null;
        try
        {
            Preserve(target, link, durability);
            if (previous is not null)
            {
                Preserve(backup, previous, durability);
            }

            // Renamed over the old backup, so there is always a whole .bak; the folder fsync that follows the main
            // rename makes it durable.
            DurableIO.Replace(link, backup);
        }
        catch
        {
            DeleteQuietly(link);
            if (previous is not null)
            {
                DeleteQuietly(previous);
            }

            throw;
        }

        return new Swap(backup, previous);
    }

    /// <summary>
    /// Keeps <paramref name="target"/> under the new name <paramref name="keepAs"/> too: a hard link, else a durable
    /// copy written straight to that name (a name nobody else uses: a crash leaves it for the sweep, not a temp of it).
    /// </summary>
    public static void Preserve(string target, string keepAs, Durability durability)
    {
        if (DurableIO.TryHardLink(target, keepAs))
        {
            return;
        }

        using SafeFileHandle from = OpenSource(target);
        using SafeFileHandle to = OperatingSystem.IsWindows()
            ? File.OpenHandle(keepAs, FileMode.CreateNew, FileAccess.Write, FileShare.None)
            : Posix.CreateExclusive(keepAs, Posix.OwnerOnly);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                Posix.TakeOwnerAndMode(to, Posix.Stat(from, target), keepAs);
            }

            Copy(from, to);
            if (durability == Durability.Durable)
            {
                DurableIO.FlushFile(to, keepAs);
            }
        }
        catch
        {
            to.Dispose();
            DeleteQuietly(keepAs);
            throw;
        }
    }

    /// <summary>
    /// Replaces <paramref name="destination"/> with the exact bytes of <paramref name="source"/>, atomically and
    /// without a backup of its own (a backup of the file being replaced is never what a copy wants). The copy takes
    /// the source's mode and owner, as a hard link would.
    /// </summary>
    public static void CopyAtomically(string source, string destination, Durability durability)
    {
        using SafeFileHandle from = OpenSource(source);
        Posix.FileStat? stat = OperatingSystem.IsWindows() ? null : Posix.Stat(from, source);
        AtomicFile.Write(destination, from, static (stream, input) => Copy(input, stream), new AtomicWriteOptions { Durability = durability }, bufferSize: null, inheritFrom: stat);
    }

    /// <summary>
    /// Opens a file to copy from: on Unix never through a link and never a FIFO (a backup name is in a folder others
    /// may write, and the copy runs under the store's lock, so a planted FIFO would hang every update).
    /// </summary>
    private static SafeFileHandle OpenSource(string path) => OperatingSystem.IsWindows()
        ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
        : Posix.OpenRegular(path, write: false) ?? throw new FileNotFoundException($"'{path}' does not exist.", path);

    // The streams are not disposed: that would close the handles, which their owners still use (to flush, say).
    // Unbuffered, they hold nothing to flush, and a FileStream's finalizer never closes its handle.
    private static void Copy(SafeFileHandle from, SafeFileHandle to) => Copy(from, new FileStream(to, FileAccess.Write, bufferSize: 0));

    private static void Copy(SafeFileHandle from, Stream to) => new FileStream(from, FileAccess.Read, bufferSize: 0).CopyTo(to);

    /// <summary>The temp id in the name of a backup file a write made for <paramref name="fileName"/>; null for any other name.</summary>
    public static long? TempIdOfLeftover(string candidate, string fileName)
    {
        // ".{name}.bak." + 16 hex digits + ".link" or ".prev", the name shortened as TempFiles.NameFor does
        string prefix = TempFiles.PrefixFor(fileName + Suffix, LinkSuffix);
        if (candidate.Length != prefix.Length + 16 + LinkSuffix.Length
            || !candidate.StartsWith(prefix, StringComparison.Ordinal)
            || !(candidate.EndsWith(LinkSuffix, StringComparison.Ordinal) || candidate.EndsWith(PreviousSuffix, StringComparison.Ordinal)))
        {
            return null;
        }

        ReadOnlySpan<char> hex = candidate.AsSpan(prefix.Length, 16);
        return !TempFiles.IsLowerHex(hex) || !long.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long id)
            ? null
            : id;
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover the next sweep removes.
        }
    }

    /// <summary>A backup put in place before the write it belongs to was decided.</summary>
    internal sealed class Swap(string backup, string? previous)
    {
        /// <summary>The write happened: the backup it replaced goes.</summary>
        public void Complete()
        {
            if (previous is not null)
            {
                DeleteQuietly(previous);
            }
        }

        /// <summary>The write failed: the backup goes back to what it was (or away, if there was none). Best effort.</summary>
        public void Undo()
        {
            try
            {
                if (previous is not null)
                {
                    DurableIO.Replace(previous, backup);
                }
                else
                {
                    File.Delete(backup);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The write's own error is what the caller needs; a .prev left behind is removed by the next sweep.
            }
        }
    }
}
