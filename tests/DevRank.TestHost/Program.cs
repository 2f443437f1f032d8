using System.Text;
using DevRank.AtomicStore;

// A small, scriptable child process. Each command prints what it did on stdout so that the parent can tell what
// was acknowledged before a crash, and exits 0 on success, 3 when the operation threw (with the exception's type
// and message on stdout).
try
{
    return args switch
    {
        ["write", string path, string size, .. var rest] => Write(path, int.Parse(size), rest),
        ["write-stream-and-hang", string path] => WriteAndHang(path),
        _ => Usage(),
    };
}
catch (Exception ex) when (ex is AtomicStoreException or OperationCanceledException)
{
    Console.WriteLine($"error {ex.GetType().Name}: {ex.Message}");
    return 3;
}

static int Write(string path, int size, string[] options)
{
    var writeOptions = new AtomicWriteOptions
    {
        Durability = options.Contains("--atomic-only") ? Durability.AtomicOnly : Durability.Durable,
    };
    AtomicFile.WriteAllBytes(path, Content.For(size), writeOptions);
    Console.WriteLine("ok");
    return 0;
}

static int WriteAndHang(string path)
{
    // A writer that is alive, mid-write, with its temp file open: the parent sweeps or kills it.
    AtomicFile.Write(path, stream =>
    {
        stream.Write("partial"u8);
        stream.Flush();
        Console.WriteLine("writing");
        Thread.Sleep(Timeout.Infinite);
    });
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: DevRank.TestHost write <path> <bytes> [--atomic-only] | write-stream-and-hang <path>");
    return 2;
}

/// <summary>Deterministic content of a given size, so that the parent can check what landed.</summary>
internal static class Content
{
    public static byte[] For(int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }

    public static string Text(int size) => Encoding.ASCII.GetString(For(size));
}
