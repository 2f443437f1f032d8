using System.Globalization;
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

    /// <summary>Creates a new, exclusively locked temp file for <paramref name="fileName"/> in <paramref name="directory"/>.</summary>
    /// <remarks>
    /// <see cref="FileShare.None"/> makes .NET take an <c>flock</c> on Unix that dies with this process: a sweep
    /// that can take the same lock knows the writer is gone.
    /// </remarks>
    public static SafeFileHandle Create(string directory, string fileName, out string tempPath)
    {
        for (int attempt = 0; ; attempt++)
        {
            tempPath = Path.Combine(directory, NameFor(fileName, Random.Shared.NextInt64()));
            try
            {
                return File.OpenHandle(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException ex) when (attempt < 8 && ex is not DirectoryNotFoundException)
            {
                // A name collided with another writer's, or a sweep locked this temp between its creation and our
                // lock (then the sweep deletes it): either way, draw another name.
            }
        }
    }

    /// <summary>
    /// The temp name for a target file name and a random value; another <paramref name="suffix"/> gives a name of the
    /// same form that a sweep never matches.
    /// </summary>
    public static string NameFor(string fileName, long random, string suffix = Suffix) =>
        "." + fileName + "." + random.ToString("x16", CultureInfo.InvariantCulture) + suffix;

    /// <summary>The pattern that matches every temp file of <paramref name="fileName"/>.</summary>
    public static string PatternFor(string fileName) => "." + fileName + ".*" + Suffix;

    /// <summary>True when <paramref name="candidate"/> is a temp name of <paramref name="fileName"/>.</summary>
    public static bool IsTempOf(string candidate, string fileName)
    {
        // ".{name}." + 16 hex digits + ".tmp"
        int prefix = fileName.Length + 2;
        if (candidate.Length != prefix + 16 + Suffix.Length
            || candidate[0] != '.'
            || !candidate.AsSpan(1).StartsWith(fileName, StringComparison.Ordinal)
            || candidate[prefix - 1] != '.'
            || !candidate.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in candidate.AsSpan(prefix, 16))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Deletes the temp files of <paramref name="targetPath"/> that no live writer holds. A temp whose lock can be
    /// taken belongs to a writer that died (the lock dies with its process); a held lock means a writer is still at
    /// work, and its temp is left alone.
    /// </summary>
    /// <returns>How many stale temps were deleted.</returns>
    public static int Sweep(string targetPath)
    {
        string directory = Path.GetDirectoryName(targetPath)!;
        string fileName = Path.GetFileName(targetPath);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        int deleted = 0;
        // Windows: the pattern goes to the file system's own search, and Wine's finds nothing for ".name.*.tmp"
        // (measured under Wine 8; NTFS matches it). The bare prefix is enough there: IsTempOf checks every name.
        string pattern = OperatingSystem.IsWindows() ? "." + fileName + "*" : PatternFor(fileName);
        foreach (string candidate in Directory.EnumerateFiles(directory, pattern))
        {
            if (!IsTempOf(Path.GetFileName(candidate), fileName))
            {
                continue;
            }

            try
            {
                // Delete while holding the lock (DeleteOnClose unlinks before the lock is released): a writer that is
                // still between creating this name and locking it fails to lock and draws another name, so no live
                // writer ever loses its temp. Read access, because a temp carries its target's mode (0444, say);
                // FileShare.None takes the exclusive lock whatever the access. DeleteOnClose also works on Windows,
                // where deleting a file our own handle keeps open without FILE_SHARE_DELETE would fail.
                using (File.OpenHandle(candidate, FileMode.Open, FileAccess.Read, FileShare.None, FileOptions.DeleteOnClose))
                {
                }

                deleted++;
            }
            catch (IOException)
            {
                // Held by a live writer, or already gone: either way not ours to delete.
            }
            catch (UnauthorizedAccessException)
            {
                // Someone else's file; leave it.
            }
        }

        return deleted;
    }
}
