namespace DevRank.TestHost;

/// <summary>
/// A deliberately incomplete replace, for the power-cut negative control: the file is fsynced and renamed, but the
/// folder is not fsynced, so the rename itself may not survive. The power-cut test must be able to see the loss.
/// </summary>
internal static class BrokenProtocol
{
    public static void WriteWithoutFolderFsync(string path, byte[] content)
    {
        string temp = path + ".broken.tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(content);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
