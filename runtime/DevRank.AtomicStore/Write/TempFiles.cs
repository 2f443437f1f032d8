using System.Globalization;
using DevRank.AtomicStore.Platform;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// Naming, creating and sweeping the temp files of atomic writes. A temp is <c>.&lt;name&gt;.&lt;random&gt;.tmp</c> in the
/// target's own folder: the same file system (so the rename is atomic), hidden, unique per writer (created with
/// O_EXCL, so two writers never share one), and recognisable, so a sweep can find those crashed writers left.
/// </summary>
internal static class TempFiles
{
    private const string Suffix = ".tmp";

    /// <summary>
    /// The suffix of a transaction's temps (<c>StoreTransaction</c>). A plain sweep never matches it: after a
    /// crash, a transaction's temps may be named by its commit journal and must wait for recovery to roll them forward,
    /// not be deleted as a dead writer's leftovers. Only the transaction code removes them, after it has looked for a
    /// journal under the store's lock.
    /// </summary>
    public const string TransactionSuffix = ".txn";

    /// <summary>
    /// Creates a new, exclusively locked temp file for <paramref name="fileName"/> in <paramref name="directory"/>:
    /// mode 0600 when it is to replace an existing file (it gets that file's mode later, so it is never readable by
    /// more users than the file itself), else the mode any new file gets (0666 &amp; ~umask).
    /// </summary>
    /// <remarks>
    /// On Unix the temp is created with O_EXCL|O_NOFOLLOW (a planted link or FIFO of that name is never opened) and
    /// locked with our own <c>flock</c>, which dies with this process: a sweep that can take the same lock knows the
    /// writer is gone. Not .NET's FileShare lock, which <c>DOTNET_SYSTEM_IO_DISABLEFILELOCKING</c> turns off.
    /// </remarks>
    /// <param name="directory">The target's folder.</param>
    /// <param name="fileName">The target's file name.</param>
    /// <param name="replacesExisting">Whether a file exists that the temp will replace.</param>
    /// <param name="tempPath">The temp's full path.</param>
    /// <param name="id">The temp's random part, which names the backup files of the same write.</param>
    /// <param name="suffix">The temp's suffix: <c>.tmp</c>, or <see cref="TransactionSuffix"/> for a transaction's.</param>
    public static SafeFileHandle Create(string directory, string fileName, bool replacesExisting, out string tempPath, out long id, string suffix = Suffix)
    {
        for (int attempt = 0; ; attempt++)
        {
            id = Random.Shared.NextInt64();
            tempPath = Path.Combine(directory, NameFor(fileName, id, suffix));
            try
            {
                if (OperatingSystem.IsWindows())
                {
                    return File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                }

                SafeFileHandle handle = Posix.CreateExclusive(tempPath, replacesExisting ? Posix.OwnerOnly : Posix.NewFileMode);
                int errno = Posix.Flock(handle, Libc.LOCK_EX | Libc.LOCK_NB);
                if (errno == Libc.EWOULDBLOCK)
                {
                    // Someone locked this temp between its creation and our lock: a sweep (which deletes it), or someone
                    // who may open it. Remove it ourselves if the name is still ours, and draw another name.
                    if (Posix.LinkStat(tempPath) is { } now && now.SameFileAs(Posix.Stat(handle, tempPath)))
                    {
                        _ = Posix.Unlink(tempPath);
                    }

                    handle.Dispose();
                    throw new IOException("taken by a sweep", errno);
                }

                // Any other flock failure means the file system has no locks (some network mounts): .NET's own
                // FileShare lock carries on without one too, and only the sweep's safety depends on it.
                return handle;
            }
            catch (IOException ex) when (attempt < 8 && ex is not DirectoryNotFoundException && IsRetryable(ex))
            {
                // A name collided with another writer's (or something planted under it), or a sweep took it.
            }
        }
    }

    private static bool IsRetryable(IOException ex) =>
        OperatingSystem.IsWindows() || ex.HResult == Libc.EEXIST || ex.HResult == Libc.EWOULDBLOCK;

    /// <summary>
    /// The temp name for a target file name and a random value; another <paramref name="suffix"/> gives a name of the
    /// same form that a sweep never matches.
    /// </summary>
    public static string NameFor(string fileName, long random, string suffix = Suffix) =>
        PrefixFor(fileName, suffix) + random.ToString("x16", CultureInfo.InvariantCulture) + suffix;

    /// <summary>
    /// <c>.&lt;name&gt;.</c>, the part of <see cref="NameFor"/> before the random digits; a name too long for the whole
    /// to fit in 255 bytes is shortened (<see cref="FileNames.Fit"/>).
    /// </summary>
    public static string PrefixFor(string fileName, string suffix) =>
        "." + FileNames.Fit(fileName, 2 + 16 + suffix.Length) + ".";

    /// <summary>The beginning every name made by <see cref="NameFor"/> for <paramref name="fileName"/> (and its backup) shares.</summary>
    public static string CommonPrefixFor(string fileName) => "." + FileNames.CommonStart(fileName, 2 + 16 + 5);

    /// <summary>True when <paramref name="candidate"/> is a temp name of <paramref name="fileName"/> (with <paramref name="suffix"/>).</summary>
    public static bool IsTempOf(string candidate, string fileName, string suffix = Suffix)
    {
        // ".{name}." + 16 hex digits + ".tmp", the name shortened as NameFor does
        string prefix = PrefixFor(fileName, suffix);
        if (candidate.Length != prefix.Length + 16 + suffix.Length
            || !candidate.StartsWith(prefix, StringComparison.Ordinal)
            || !candidate.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        return IsLowerHex(candidate.AsSpan(prefix.Length, 16));
    }

    /// <summary>True when every character is a lowercase hex digit, as <see cref="NameFor"/> writes them.</summary>
    public static bool IsLowerHex(ReadOnlySpan<char> text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Deletes the temp files of <paramref name="targetPath"/> that no live writer holds, and the backup links
    /// (<c>.link</c>, <c>.prev</c>) that killed writers left. A temp whose lock can be taken belongs to a writer that
    /// died (the lock dies with its process); a held lock means a writer is still at work, and its temp is left alone.
    /// Anything that is not a regular file (a planted link or FIFO) is skipped without being opened for long.
    /// </summary>
    /// <returns>How many files were deleted (a file that could not be deleted is not counted).</returns>
    public static int Sweep(string targetPath) => Sweep(targetPath, Suffix);

    /// <summary>
    /// <see cref="Sweep(string)"/> for the temps of <paramref name="suffix"/>: <see cref="TransactionSuffix"/> for a
    /// transaction's, which only a caller that holds the store's lock and has found no commit journal may remove.
    /// </summary>
    public static int Sweep(string targetPath, string suffix, List<string>? deletedPaths = null)
    {
        string directory = Path.GetDirectoryName(targetPath)!;
        string fileName = Path.GetFileName(targetPath);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        // The bare prefix: every name is checked exactly below. (On Windows the pattern goes to the file system's own
        // search, and Wine's finds nothing for ".name.*.tmp"; measured under Wine 8, NTFS matches it.)
        string[] candidates = Directory.GetFiles(directory, CommonPrefixFor(fileName) + "*");
        int deleted = 0;
        foreach (string candidate in candidates)
        {
            if (IsTempOf(Path.GetFileName(candidate), fileName, suffix) && TryDeleteDead(candidate))
            {
                deleted++;
                deletedPaths?.Add(candidate);
            }
        }

        if (suffix != Suffix)
        {
            return deleted;
        }

        // A backup link is named after its writer's temp (a plain write's or a transaction's): once that temp is gone
        // (renamed, or swept above as dead), nothing will rename or remove the link any more.
        foreach (string candidate in candidates)
        {
            if (Backups.TempIdOfLeftover(Path.GetFileName(candidate), fileName) is { } id
                && !File.Exists(Path.Combine(directory, NameFor(fileName, id)))
                && !File.Exists(Path.Combine(directory, NameFor(fileName, id, TransactionSuffix)))
                && Delete(candidate))
            {
                deleted++;
            }
        }

        return deleted;
    }

    /// <summary>
    /// True when <paramref name="fileName"/> has the form of a transaction temp of any file:
    /// <c>.&lt;name&gt;.&lt;16 hex&gt;.txn</c>. What a folder-wide clean-up looks for, which cannot know every store's name.
    /// </summary>
    public static bool IsTransactionTemp(string fileName) =>
        fileName.Length > 2 + 16 + TransactionSuffix.Length
        && fileName[0] == '.'
        && fileName.EndsWith(TransactionSuffix, StringComparison.Ordinal)
        && fileName[^(17 + TransactionSuffix.Length)] == '.'
        && IsLowerHex(fileName.AsSpan(fileName.Length - 16 - TransactionSuffix.Length, 16));

    /// <summary>Deletes the temp at <paramref name="candidate"/> if no live writer holds it (see <see cref="Sweep(string)"/>).</summary>
    public static bool DeleteIfDead(string candidate) => TryDeleteDead(candidate);

    private static bool TryDeleteDead(string candidate)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                // Deleted while our exclusive handle holds it (DeleteOnClose), so no live writer can lose it.
                using (File.OpenHandle(candidate, FileMode.Open, FileAccess.Read, FileShare.None, FileOptions.DeleteOnClose))
                {
                }

                return !File.Exists(candidate);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        try
        {
            // Read access, because a temp carries its target's mode (0444, say); flock takes any descriptor.
            using SafeFileHandle? handle = Posix.OpenRegular(candidate, write: false);
            if (handle is null || Posix.Flock(handle, Libc.LOCK_EX | Libc.LOCK_NB) != 0)
            {
                return false;
            }

            // Delete while holding the lock: a writer still between creating this name and locking it fails to lock
            // and draws another name. And only the file we locked: not whatever was renamed onto the name since.
            return Posix.LinkStat(candidate) is { } now && now.SameFileAs(Posix.Stat(handle, candidate)) && Delete(candidate);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Held, gone, not a regular file, or someone else's: not ours to delete.
            return false;
        }
    }

    private static bool Delete(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            try
            {
                File.Delete(path);
                return !File.Exists(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        return Posix.Unlink(path) == 0;
    }
}
