using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>Where a write to a path really lands, and what the file there is now.</summary>
internal static class TargetPath
{
    private const int MaxLinks = 40;

    /// <summary>
    /// The full path to replace: a symbolic link is followed to its final target, so the link stays a link and
    /// the file it points to gets the new content (renaming over the link would replace the link itself).
    /// </summary>
    public static string Resolve(string path) => Resolve(path, out _);

    /// <summary>
    /// <see cref="Resolve(string)"/>, also giving what the existing target is (its mode and owner, for the
    /// replacement to keep; null for a new file, and always null on Windows).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">A link on the way could have been planted by another user (see <see cref="CheckTrusted"/>).</exception>
    public static string Resolve(string path, out Posix.FileStat? existing)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (full.EndsWith(Path.DirectorySeparatorChar) || full.EndsWith(Path.AltDirectorySeparatorChar))
        {
            throw new ArgumentException($"'{path}' names a folder, not a file.", nameof(path));
        }

        existing = null;
        return OperatingSystem.IsWindows() ? ResolveWindows(full) : ResolveUnix(full, out existing);
    }

    private static string ResolveUnix(string full, out Posix.FileStat? existing)
    {
        string current = full;
        for (int hop = 0; hop <= MaxLinks; hop++)
        {
            // One lstat answers both questions for the common case, a regular file: it is not a link, and its mode.
            existing = Posix.LinkStat(current);
            if (existing is not { IsLink: true } link)
            {
                return current;
            }

            // The lstat above keeps the common case (a regular file) at one call; a link is read again, owner and
            // target from one descriptor, so that another link swapped in between cannot borrow this one's owner.
            // If the name is no longer a link, that read's stat is the answer (no retry an attacker could keep going).
            (existing, string? next) = Posix.ReadLink(current);
            if (existing is not { IsLink: true } checkedLink)
            {
                return current;
            }

            CheckTrusted(current, checkedLink);
            current = Path.GetFullPath(next ?? throw Posix.Error(Libc.ENOENT, current, "reading the link"), Path.GetDirectoryName(current)!);
        }

        throw Posix.Error(Libc.ELOOP, full, "resolving");
    }

    /// <summary>
    /// Follows a link only where nobody but the caller (or root) could have put it there: the link is owned by the
    /// caller or by root and has no second name (a hard link to such a link, made elsewhere, is an attacker's plant
    /// where <c>fs.protected_hardlinks</c> is off), or its folder is writable by its owner alone and that owner is the
    /// caller or root. This is Linux's <c>fs.protected_symlinks</c> rule, widened from sticky folders to any
    /// folder others can write, whatever that setting is. Without it, a user who can write the store folder could
    /// plant a link that makes a root process replace any file on the system.
    /// </summary>
    public static void CheckTrusted(string linkPath, Posix.FileStat link)
    {
        uint me = Posix.EffectiveUserId;
        if ((link.Uid == me || link.Uid == 0) && link.Links == 1)
        {
            return;
        }

        string directory = Path.GetDirectoryName(linkPath)!;
        if (Posix.FollowStat(directory) is { } folder
            && (folder.Uid == me || folder.Uid == 0)
            && (folder.Permissions & Posix.WritableByOthers) == 0)
        {
            return;
        }

        string owner = link.Uid == me || link.Uid == 0 ? $"with a second name ({link.Links} hard links: one could have been made elsewhere)" : $"owned by another user (uid {link.Uid})";
        throw new UnauthorizedAccessException(
            $"'{linkPath}' is a symbolic link {owner} in a folder that others can write ('{directory}'). " +
            "It is not followed: whoever planted it could point this write at any file. Replace it with a link you own, or make the folder writable by its owner only.");
    }

    private static string ResolveWindows(string full)
    {
        var info = new FileInfo(full);
        FileAttributes attributes = info.Attributes;
        if ((int)attributes == -1 || (attributes & FileAttributes.ReparsePoint) == 0)
        {
            return full;
        }

        // LinkTarget is null for reparse points that are not links: those are replaced in place.
        return info.LinkTarget is not null && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } final
            ? Path.GetFullPath(final.FullName)
            : full;
    }
}
