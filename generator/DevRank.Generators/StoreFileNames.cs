namespace DevRank.Generators;

/// <summary>
/// The rules for an <c>[AtomicStore]</c> file name, shared by the generator (which emits nothing for a bad name)
/// and the analyzer (which says why). The runtime checks the same rules when the store is created; checking them
/// here turns a first-call <c>ArgumentException</c> into a build-time message.
/// </summary>
public static class StoreFileNames
{
    /// <summary>
    /// Checks that <paramref name="fileName"/> is a relative path that stays inside the store folder, on Windows
    /// and on Unix alike: the generator runs on one OS, the app may run on another.
    /// </summary>
    /// <param name="fileName">The file name given to the attribute.</param>
    /// <returns>Null when the name is fine; otherwise why it is not, as a sentence.</returns>
    public static string? Validate(string? fileName)
    {
        if (fileName is null || fileName.Trim().Length == 0)
        {
            return "The store file name is empty.";
        }

        if (fileName[0] is '/' or '\\' || (fileName.Length >= 2 && fileName[1] == ':' && IsAsciiLetter(fileName[0])))
        {
            return $"The store file name '{fileName}' is rooted; it must be relative to the store folder.";
        }

        foreach (char c in fileName)
        {
            // Control characters and the characters Windows forbids in names (':' would also open an NTFS stream).
            if (c < ' ' || c is '<' or '>' or ':' or '"' or '|' or '?' or '*')
            {
                return $"The store file name '{fileName}' contains '{Printable(c)}', which is not allowed in a portable file name.";
            }
        }

        if (fileName[fileName.Length - 1] is '/' or '\\')
        {
            return $"The store file name '{fileName}' ends with a separator; it must name a file.";
        }

        foreach (string segment in fileName.Split('/', '\\'))
        {
            if (segment is "" or "." or "..")
            {
                return $"The store file name '{fileName}' has an empty, '.' or '..' segment; it must stay inside the store folder.";
            }
        }

        return null;
    }

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');

    private static string Printable(char c) => c < ' ' ? $"\\u{(int)c:X4}" : c.ToString();
}
