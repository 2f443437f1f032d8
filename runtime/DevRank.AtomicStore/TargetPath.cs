namespace DevRank.AtomicStore;

/// <summary>Where a write to a path really lands.</summary>
internal static class TargetPath
{
    /// <summary>
    /// The full path to replace: a symbolic link is followed to its final target, so the link stays a link and
    /// the file it points to gets the new content (renaming over the link would replace the link itself).
    /// </summary>
    public static string Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (full.EndsWith(Path.DirectorySeparatorChar) || full.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        }

        // LinkTarget is null for a missing file and for a regular one: only real links are resolved.
        if (new FileInfo(full).LinkTarget is null)
        {
            return full;
        }

        FileSystemInfo? final = File.ResolveLinkTarget(full, returnFinalTarget: true);
        return final is null ? full : Path.GetFullPath(final.FullName);
    }

    /// <summary>The Unix mode of an existing target, to give its replacement; null for a new file or on Windows.</summary>
    public static UnixFileMode? ExistingMode(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return File.GetUnixFileMode(fullPath);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }
}
