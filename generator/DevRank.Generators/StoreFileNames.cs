namespace DevRank.Generators;

/// <summary>
/// The rules for an <c>[AtomicStore]</c> file name, shared by the generator (which emits nothing for a bad name)
/// and the analyzer (which says why, DRS002). The runtime checks only a subset when the store is created (empty,
/// rooted on the OS it runs on, a trailing separator, an empty, <c>.</c> or <c>..</c> segment); the portability
/// rules and the runtime's own file names are checked here alone, at build time.
/// </summary>
internal static class StoreFileNames
{
    /// <summary>
    /// Checks that <paramref name="fileName"/> is a relative path that stays inside the store folder, on Windows
    /// and on Unix alike: the generator runs on one OS, the app may run on another.
    /// </summary>
    /// <param name="fileName">The file name given to the attribute.</param>
    /// <returns>Null when the name is fine; otherwise the rule it breaks, to follow the name: <c>is rooted; it must be ...</c>.</returns>
    public static string? Validate(string? fileName)
    {
        if (fileName is null || fileName.Trim().Length == 0)
        {
            return "is empty";
        }

        if (fileName[0] is '/' or '\\' || (fileName.Length >= 2 && fileName[1] == ':' && IsAsciiLetter(fileName[0])))
        {
            return "is rooted; it must be relative to the store folder";
        }

        foreach (char c in fileName)
        {
            // Control characters and the characters Windows forbids in names (':' would also open an NTFS stream).
            if (c < ' ' || c is '<' or '>' or ':' or '"' or '|' or '?' or '*')
            {
                return $"contains '{Printable(c)}', which is not allowed in a portable file name";
            }
        }

        if (fileName[fileName.Length - 1] is '/' or '\\')
        {
            return "ends with a separator; it must name a file";
        }

        string[] segments = fileName.Split('/', '\\');
        foreach (string segment in segments)
        {
            if (segment is "" or "." or "..")
            {
                return "has an empty, '.' or '..' segment; it must stay inside the store folder";
            }

            // Windows drops a trailing dot or space, so 'a.json.' and 'a.json' would be one file there and two on Linux.
            if (segment[segment.Length - 1] is '.' or ' ')
            {
                return "has a segment ending in a dot or a space, which Windows silently drops";
            }

            if (IsReservedDeviceName(segment))
            {
                return $"uses '{segment}', a reserved device name on Windows";
            }
        }

        return ReservedByRuntime(segments[segments.Length - 1]);
    }

    /// <summary>
    /// The runtime keeps files of its own beside each store: temps <c>.&lt;name&gt;.&lt;16 hex&gt;.tmp</c>, the lock
    /// <c>.&lt;name&gt;.lock</c> and, with <c>KeepBackup</c>, the backup <c>&lt;name&gt;.bak</c>. A store named like one of those could be
    /// swept, locked or overwritten as another store's.
    /// </summary>
    private static string? ReservedByRuntime(string name)
    {
        if (name.EndsWith(".bak", StringComparison.OrdinalIgnoreCase))
        {
            return "ends in '.bak', which is the runtime's backup naming";
        }

        if (name[0] == '.' && name.EndsWith(".lock", StringComparison.OrdinalIgnoreCase))
        {
            return "looks like a lock file ('.<name>.lock'), which is the runtime's lock naming";
        }

        if (name[0] == '.' && name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase))
        {
            return "looks like a temp file ('.<name>.<random>.tmp'), which the runtime may sweep away";
        }

        return null;
    }

    /// <summary>CON, PRN, AUX, NUL, COM1-9 and LPT1-9, with or without an extension, in any case.</summary>
    private static bool IsReservedDeviceName(string segment)
    {
        int dot = segment.IndexOf('.');
        string stem = (dot < 0 ? segment : segment.Substring(0, dot)).TrimEnd(' ').ToUpperInvariant();
        return stem is "CON" or "PRN" or "AUX" or "NUL"
            || (stem.Length == 4 && (stem.StartsWith("COM", StringComparison.Ordinal) || stem.StartsWith("LPT", StringComparison.Ordinal)) && stem[3] is >= '1' and <= '9');
    }

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static string Printable(char c) => c < ' ' ? $"\\u{(int)c:X4}" : c.ToString();
}
