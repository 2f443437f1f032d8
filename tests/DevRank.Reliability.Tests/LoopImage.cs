using DevRank.Testing;

namespace DevRank.Reliability.Tests;

/// <summary>A loop-mounted file system image whose power can be cut (suite 3's machinery, shared with suite 9c).</summary>
internal static class LoopImage
{
    /// <summary>
    /// Makes a fresh image of <paramref name="fileSystem"/> ("xfs", "ext4", or "ext4,&lt;mount options&gt;") in
    /// <paramref name="dir"/>, mounts it and runs <paramref name="body"/> with the mount point and a power cut (shutdown,
    /// unmount, mount again); unmounts and deletes the image afterwards.
    /// </summary>
    public static void Mounted(TempFolder dir, string fileSystem, Action<string, Action> body) =>
        Mounted(dir, fileSystem, (mount, cut) => body(mount, () => cut(null)));

    /// <summary>
    /// <see cref="Mounted(TempFolder, string, Action{string, Action})"/> whose cut first shuts the file system down, then
    /// runs its argument (to end processes that still hold files there: they cannot write any more), then remounts.
    /// </summary>
    public static void Mounted(TempFolder dir, string fileSystem, Action<string, Action<Action?>> body)
    {
        string image = dir.File("fs.img");
        string mount = dir.File("mnt");
        Directory.CreateDirectory(mount);
        string[] parts = fileSystem.Split(',', 2);
        string options = parts.Length > 1 ? "loop," + parts[1] : "loop";
        Sh.Must("truncate", "-s", "320M", image);
        Sh.Must(parts[0] == "xfs" ? "mkfs.xfs" : "mkfs.ext4", parts[0] == "xfs" ? ["-q", "-f", image] : ["-q", "-F", image]);
        Sh.Must("mount", "-o", options, image, mount);
        bool mounted = true;
        try
        {
            body(mount, afterShutdown =>
            {
                // The power cut: the file system stops dead, and what was not on disk is gone.
                Sh.Must("xfs_io", "-x", "-c", "shutdown", mount);
                afterShutdown?.Invoke();
                Sh.Must("umount", mount);
                mounted = false;
                Sh.Must("mount", "-o", options, image, mount);
                mounted = true;
            });
        }
        finally
        {
            if (mounted)
            {
                Sh.Run("umount", mount);
            }

            File.Delete(image);
        }
    }
}
