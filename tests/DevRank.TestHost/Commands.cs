using System.Globalization;
using DevRank.AtomicStore;
using DevRank.Testing;

namespace DevRank.TestHost;

internal static class Commands
{
    public static int Write(string path, int size, string[] options)
    {
        byte[] content = Content.For(size);
        if (options.Contains("--marker"))
        {
            // The parent finds the save's own system calls after this line in a trace.
            Console.WriteLine("begin");
        }

        if (options.Contains("--broken-no-dir-fsync"))
        {
            BrokenProtocol.WriteWithoutFolderFsync(path, content);
        }
        else
        {
            var writeOptions = new AtomicWriteOptions
            {
                Durability = options.Contains("--atomic-only") ? Durability.AtomicOnly : Durability.Durable,
                KeepBackup = options.Contains("--backup"),
            };
            AtomicFile.WriteAllBytes(path, content, writeOptions);
        }

        Console.WriteLine("ok");
        return 0;
    }

    public static int WriteAndHang(string path)
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

    public static int Increment(string folder, int times)
    {
        // Each acknowledged line is a promise: that count is durable and no later run may lose it.
        for (int i = 0; i < times; i++)
        {
            Counter saved = Counter.Update(folder, static c => c with { N = c.N + 1 });
            Console.WriteLine($"acked {saved.N}");
        }

        return 0;
    }

    /// <summary><see cref="Increment"/> through a store of any file name: two names of one file must share its lock.</summary>
    public static int IncrementFile(string folder, string fileName, int times)
    {
        JsonFileStore<Counter> store = JsonFileStore.Create<Counter>(fileName, HostJson.Default, lockTimeout: TimeSpan.FromMinutes(1));
        for (int i = 0; i < times; i++)
        {
            Counter saved = store.Update(folder, static c => c with { N = c.N + 1 }, static () => new Counter());
            Console.WriteLine($"acked {saved.N}");
        }

        return 0;
    }

    public static int Sweep(string path)
    {
        Console.WriteLine($"swept {AtomicFile.SweepStaleTemps(path)}");
        return 0;
    }

    public static int HoldLock(string folder)
    {
        Counter.Update(folder, static c =>
        {
            Console.WriteLine("locked");
            Thread.Sleep(Timeout.Infinite);
            return c;
        });
        return 0;
    }

    /// <summary>
    /// Saves a ~1 MB store of one shape: "objects" (a list of records, saved through JsonStreaming) or "values" (a list
    /// of strings, saved through JsonSerializer.Serialize(Stream)). The parent traces its writes.
    /// </summary>
    public static int SaveShape(string folder, string shape)
    {
        Console.WriteLine("begin");
        if (shape == "objects")
        {
            var rows = Enumerable.Range(0, 12_000).Select(i => new Row(i, $"user-{i:D6}", i % 3 == 0 ? null : new string('n', i % 97))).ToList();
            JsonFileStore.Create<List<Row>>("objects.json", HostJson.Default).Save(folder, rows);
        }
        else
        {
            var names = Enumerable.Range(0, 30_000).Select(i => $"repo:owner{i % 977}/project-{i:D6}").ToList();
            JsonFileStore.Create<List<string>>("values.json", HostJson.Default).Save(folder, names);
        }

        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>
    /// Sync over async on the thread pool, as plenty of real code does it: <paramref name="callers"/> pool work items,
    /// each blocking on <c>UpdateAsync</c> of one counter. Prints how many timed out and the final count.
    /// </summary>
    public static int UpdateAsyncFromPool(string folder, int callers, int timeoutMs)
    {
        var store = JsonFileStore.Create<Counter>("counter.json", HostJson.Default, lockTimeout: TimeSpan.FromMilliseconds(timeoutMs));
        int timedOut = 0;
        Task[] tasks = Enumerable.Range(0, callers).Select(_ => Task.Run(() =>
        {
            try
            {
                store.UpdateAsync(folder, static c => c with { N = c.N + 1 }, static () => new Counter()).GetAwaiter().GetResult();
            }
            catch (StoreLockTimeoutException)
            {
                Interlocked.Increment(ref timedOut);
            }
        })).ToArray();
        Task.WaitAll(tasks);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timed-out {timedOut}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"count {store.Load(folder).N}"));
        return 0;
    }

    /// <summary>
    /// Saves a document holding one string of <paramref name="chars"/> characters ("objects": a record, saved through
    /// JsonStreaming; "values": a list of strings, saved through JsonSerializer.Serialize(Stream)) and prints what the
    /// save cost in memory and what stays behind: the GC heap after full collections, before and after (the document
    /// still alive), and whether the shared pool now holds an array big enough for the string's bytes.
    /// </summary>
    public static int SaveHugeString(string folder, int chars, string shape)
    {
        string payload = new('x', chars);
        object document = shape == "objects" ? new CrashDoc(1, chars, 0, payload) : new List<string> { payload };
        long before = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        if (document is CrashDoc doc)
        {
            CrashDoc.Store.Save(folder, doc);
        }
        else
        {
            JsonFileStore.Create<List<string>>("values.json", HostJson.Default).Save(folder, (List<string>)document);
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long after = GC.GetTotalMemory(forceFullCollection: true);
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        long peak = self.PeakWorkingSet64;

        // A pooled array comes back without allocating; one the pool does not hold is allocated here.
        int probe = (int)Math.Min(Array.MaxLength, (3L * chars) + 3);
        long beforeRent = GC.GetAllocatedBytesForCurrentThread();
        byte[] rented = System.Buffers.ArrayPool<byte>.Shared.Rent(probe);
        bool pooled = GC.GetAllocatedBytesForCurrentThread() - beforeRent < probe / 2;
        System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        GC.KeepAlive(document);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heap-before {before}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heap-after {after}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retained {after - before}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"allocated {allocated}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak-working-set {peak}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pooled {(pooled ? "yes" : "no")}"));
        return 0;
    }

    public static int LoadCounter(string folder)
    {
        Console.WriteLine($"loaded {Counter.Load(folder).N}");
        return 0;
    }

    /// <summary>Saves self-checking documents forever, acknowledging each; the parent kills it at random.</summary>
    public static int SaveLoop(string folder, string[] options)
    {
        bool atomicOnly = options.Contains("--atomic-only");
        JsonFileStore<CrashDoc> store = atomicOnly ? CrashDoc.AtomicOnlyStore : CrashDoc.Store;
        // Resume after the last durable document; a corrupt one ends the run (exit 4) for the parent to see.
        long seq = 0;
        try
        {
            if (store.TryLoad(folder, out CrashDoc? last))
            {
                if (!last.IsWhole())
                {
                    Console.WriteLine($"torn {last.Seq}");
                    return 4;
                }

                seq = last.Seq;
            }
        }
        catch (StoreLoadException ex)
        {
            Console.WriteLine($"corrupt {ex.Message}");
            return 4;
        }

        Console.WriteLine($"started {seq}");
        bool inPlace = options.Contains("--broken-in-place");
        while (true)
        {
            seq++;
            if (inPlace)
            {
                // The negative control: the plain overwrite DevRank used to do. The crash suite must catch it (and DRS007 does).
#pragma warning disable DRS007
                File.WriteAllBytes(store.GetPath(folder), System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(CrashDoc.Make(seq), HostJson.Default.CrashDoc));
#pragma warning restore DRS007
            }
            else if (atomicOnly)
            {
                CrashDoc.AtomicOnlyStore.Save(folder, CrashDoc.Make(seq));
            }
            else
            {
                CrashDoc.Make(seq).Save(folder); // the generated member, as users call it
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {seq}"));
        }
    }

    /// <summary>
    /// Thread A saves into a folder it has to create; thread B, as soon as that folder exists, saves beside it. Each
    /// prints "a saved" / "b saved", or "a failed" / "b failed" with the exception. B first spends its own first fsync
    /// on a warm-up write (whose failure does not matter), so that strace's per-thread <c>inject=fsync:…:when=1</c>
    /// reaches only A's first fsync: the flush of the new folder's parent.
    /// </summary>
    public static int RaceIntoNewFolder(string folder)
    {
        string fresh = Path.Combine(folder, "new");
        using var warm = new ManualResetEventSlim();
        int failures = 0;
        Thread Start(string name, Action before, string fileName)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    before();
                    JsonFileStore.Create<List<string>>(fileName, HostJson.Default).Save(folder, [name]);
                    Console.WriteLine($"{name} saved");
                }
                catch (AtomicStoreException ex)
                {
                    Interlocked.Increment(ref failures);
                    Console.WriteLine($"{name} failed {ex.GetType().Name}: {ex.Message}");
                }
                finally
                {
                    warm.Set();
                }
            });
            thread.Start();
            return thread;
        }

        Thread b = Start("b", () =>
        {
            try
            {
                AtomicFile.WriteAllBytes(Path.Combine(folder, "warm-up"), "warm"u8);
            }
            catch (AtomicStoreException)
            {
                // Only its fsync mattered.
            }

            warm.Set();
            while (!Directory.Exists(fresh))
            {
                Thread.Sleep(1);
            }
        }, "new/b.json");
        warm.Wait();
        Thread a = Start("a", static () => { }, "new/a.json");
        a.Join();
        b.Join();
        return failures == 0 ? 0 : 3;
    }

    public static int Usage()
    {
        Console.Error.WriteLine("""
            usage: DevRank.TestHost <command>
              write <path> <bytes> [--atomic-only] [--backup] [--broken-no-dir-fsync] [--marker]
              increment-file <folder> <file name> <times>
              sweep <path>
              write-stream-and-hang <path>
              increment <folder> <times>
              hold-lock <folder>
              update-async-from-pool <folder> <callers> <lock timeout ms>
              load-counter <folder>
              save-huge-string <folder> <chars> objects|values
              save-loop <folder> [--atomic-only] [--broken-in-place]
              race-into-new-folder <folder>
              jsonl-append <folder> <tag> <count> [--atomic-only] [--payload <chars>]
              jsonl-once <folder> append <tag> <n> | compact
              jsonl-compact <folder> <rounds>
              jsonl-burst <folder> <threads> <appends per thread> [--async]
              tx-commit <folder> <seq> [--small] [--marker]
              tx-recover <folder> [--marker]
              tx-loop <folder> [--separate]
              tx-pingpong <folder> ab|cba <milliseconds>
            """);
        return 2;
    }
}
