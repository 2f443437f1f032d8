namespace DevRank.AtomicStore;

/// <summary>Where a write to a path really lands.</summary>
internal static class TargetPath
{
    /// <summary>
    /// The full path to replace: a symbolic link is followed to its final target, so the link stays a link and
    /// the file it points to gets the new content (renaming over the link would replace the link itself).
    /// </summary>
    public static string Resolve(string path) => Resolve(path, out _);

    /// <summary>
    /// <see cref="Resolve(string)"/>, also giving the Unix mode of the existing target (null for a new file or on
    /// Windows), for its replacement to keep.
    /// </summary>
    public static string Resolve(string path, out UnixFileMode? mode)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (full.EndsWith(Path.DirectorySeparatorChar) || full.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        }

        // One lstat answers both questions for the common case, a regular file: it is not a link, and its mode.
        var info = new FileInfo(full);
        FileAttributes attributes = info.Attributes;
        if ((int)attributes == -1)
        {
            // Missing (FileSystemInfo reports missing files as all bits set).
            mode = null;
            return full;
        }

        if ((attributes & FileAttributes.ReparsePoint) == 0)
        {
            mode = OperatingSystem.IsWindows() ? null : info.UnixFileMode;
            return full;
        }

        // LinkTarget is null for reparse points that are not links (Windows): those are replaced in place.
        string target = full;
        if (info.LinkTarget is not null && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } final)
        {
            target = Path.GetFullPath(final.FullName);
        }

        mode = ExistingMode(target);
        return target;
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
