namespace DevRank.Testing;

/// <summary>A fresh folder on the real disk for one test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        // /var/tmp rather than /tmp: the latter is often tmpfs, where fsync is a no-op and tells us less.
        string root = Directory.Exists("/var/tmp") ? "/var/tmp" : System.IO.Path.GetTempPath();
        // Full: on Windows (Wine) "/var/tmp" is relative to the current drive, and the library reports full paths.
        Path = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "devrank-tests", Guid.NewGuid().ToString("N")));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every temp file an atomic write may have left in the folder.</summary>
    /// <remarks>Not the pattern ".*.tmp": under Wine it matches nothing, and this would never fail there.</remarks>
    public string[] Temps() =>
        [.. Directory.GetFiles(Path, "*.tmp", SearchOption.AllDirectories).Where(f => System.IO.Path.GetFileName(f).StartsWith('.'))];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
