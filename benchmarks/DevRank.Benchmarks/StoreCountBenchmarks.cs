using System.Globalization;
using BenchmarkDotNet.Attributes;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>
/// The cost model's "number of stores": <see cref="Stores"/> stores of the 1 KB <see cref="Profile"/>, each its own
/// file in one folder (as DevRank keeps users, tracker, visited and blocklist side by side), each saved once per
/// operation, one after another and all at once. The time per store and the allocations per store should not grow
/// with the number of stores; whether the concurrent form saves time is the device's doing (overlapped fsyncs).
/// </summary>
[MemoryDiagnoser]
public class StoreCountBenchmarks
{
    private JsonFileStore<Profile>[] _stores = [];
    private Task[] _tasks = [];
    private Profile _value = null!;
    private string _folder = null!;

    [Params(1, 8, 64)]
    public int Stores { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _value = Payloads.Profile();
        _folder = Case.NewFolder();
        _stores = [.. Enumerable.Range(0, Stores).Select(i => JsonFileStore.Create<Profile>($"profile-{i:D2}.json", BenchJson.Default))];
        _tasks = new Task[Stores];
        Sequential();
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Baseline = true, Description = "Save each store once, in sequence (durable)")]
    public void Sequential()
    {
        foreach (JsonFileStore<Profile> store in _stores)
        {
            store.Save(_folder, _value);
        }
    }

    [Benchmark(Description = "SaveAsync every store at once, until all returned (durable)")]
    public Task Concurrent()
    {
        for (int i = 0; i < _stores.Length; i++)
        {
            _tasks[i] = _stores[i].SaveAsync(_folder, _value);
        }

        return Task.WhenAll(_tasks);
    }

    /// <summary>
    /// What each store keeps alive once it has saved: the managed heap after a full collection, before and after
    /// creating and saving <paramref name="args"/>[0] stores (default 1,000) in one folder. Usage: store-memory [n].
    /// </summary>
    public static int MeasureRetained(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        Profile value = Payloads.Profile();
        string folder = Case.NewFolder();
        try
        {
            // One store saved first, so that the type's metadata, the pool's buffers and the JIT's work are not counted.
            JsonFileStore.Create<Profile>("warm.json", BenchJson.Default).Save(folder, value);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            var stores = new JsonFileStore<Profile>[n];
            for (int i = 0; i < n; i++)
            {
                stores[i] = JsonFileStore.Create<Profile>($"profile-{i:D4}.json", BenchJson.Default);
                stores[i].Save(folder, value);
            }

            long after = GC.GetTotalMemory(forceFullCollection: true);
            GC.KeepAlive(stores);
            Console.WriteLine($"{n} stores, each saved once: {(after - before) / (double)n:F0} bytes retained per store (the store and its array slot, its save queue, path strings)");
            return 0;
        }
        finally
        {
            Case.DeleteFolder(folder);
        }
    }
}
