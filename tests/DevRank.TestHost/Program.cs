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
        ["increment", string folder, string times] => Increment(folder, int.Parse(times)),
        ["hold-lock", string folder] => HoldLock(folder),
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

static int Increment(string folder, int times)
{
    // Each acknowledged line is a promise: that count is durable and no later run may lose it.
    for (int i = 0; i < times; i++)
    {
        Counter saved = Counter.Store.Update(folder, static c => c with { N = c.N + 1 }, static () => new Counter(0));
        Console.WriteLine($"acked {saved.N}");
    }

    return 0;
}

static int HoldLock(string folder)
{
    Counter.Store.Update(folder, static c =>
    {
        Console.WriteLine("locked");
        Thread.Sleep(Timeout.Infinite);
        return c;
    }, static () => new Counter(0));
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: DevRank.TestHost write <path> <bytes> [--atomic-only] | write-stream-and-hang <path> | increment <folder> <times> | hold-lock <folder>");
    return 2;
}

/// <summary>A counter that several processes increment under the store's update lock.</summary>
internal sealed record Counter(int N)
{
    public static readonly JsonFileStore<Counter> Store = JsonFileStore.CreateWithReflection<Counter>("counter.json", lockTimeout: TimeSpan.FromSeconds(60));
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
