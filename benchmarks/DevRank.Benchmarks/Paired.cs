using System.Diagnostics;
using System.Globalization;

namespace DevRank.Benchmarks;

/// <summary>
/// Interleaved A/B timing for a shared, noisy machine: each round times a batch of "ours" and a batch of the
/// baseline back to back (order alternating), so that a neighbour's burst of fsyncs lands on both alike. Reports the
/// median of each and the median of the per-round ratios. BenchmarkDotNet runs one benchmark after another, minutes
/// apart, and on a box where others build and fsync the load changes in between; this mode checks its ratios.
/// Usage: paired [rounds=31]
/// </summary>
internal static class Paired
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 31;
        Console.WriteLine($"| comparison | size | ours median | baseline median | median of per-round ratios | rounds |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (Size size in Case.Sizes(Enum.GetValues<Size>()))
        {
            Case c = Case.Create(size);
            string folder = Case.NewFolder();
            try
            {
                string floorTarget = Path.Combine(folder, "floor-" + c.FileName), floorTemp = Path.Combine(folder, ".floor.tmp");
                string renameTarget = Path.Combine(folder, "rename-" + c.FileName), renameTemp = renameTarget + ".tmp";
                string path = Path.Combine(folder, c.FileName);
                c.Save(folder);
                c.CheckSavedBytes(folder);
                Compare("Save (durable) vs floor (c)", size, rounds, () => c.Save(folder), () => BareProtocol.Write(floorTemp, floorTarget, folder, c.SerializeToBytes()));
                Compare("Save (AtomicOnly) vs (b)", size, rounds, () => c.SaveAtomicOnly(folder), () => c.TempRename(renameTemp, renameTarget));

                // Why documents of objects save through JsonStreaming and collections of values through
                // Serialize(Stream) (JsonStreaming.IsFasterFor); both into Stream.Null, so no I/O.
                Compare("JsonStreaming vs Serialize(Stream), into Stream.Null", size, rounds, c.SerializeChunkedToNullStream, c.SerializeToNullStream);
                Compare("Load vs Deserialize(ReadAllBytes)", size, rounds, () => c.Load(folder), () => c.ReadAllBytesDeserialize(path));
                if (size is Size.S2_64KB or Size.S3_2MB)
                {
                    Task[] tasks = new Task[64];
                    Compare("64 concurrent SaveAsync vs one SaveAsync", size, rounds, () =>
                    {
                        for (int i = 0; i < tasks.Length; i++)
                        {
                            tasks[i] = Task.Run(() => c.SaveAsync(folder));
                        }

                        Task.WaitAll(tasks);
                    }, () => c.SaveAsync(folder).GetAwaiter().GetResult());
                }

                if (size == Size.S3_2MB)
                {
                    int n = 0;
                    Compare("Tracker.Update vs Load + change + Save by hand", size, rounds,
                        () => Tracker.Update(folder, t => t["login-000001"] = DateTimeOffset.UnixEpoch.AddSeconds(++n)),
                        () =>
                        {
                            Tracker t = Tracker.Load(folder);
                            t["login-000001"] = DateTimeOffset.UnixEpoch.AddSeconds(++n);
                            t.Save(folder);
                        });
                }
            }
            finally
            {
                Case.DeleteFolder(folder);
            }
        }

        return 0;
    }

    /// <summary>
    /// Issue #17's ratio, interleaved: one transaction committing four stores (1 KB, 64 KB, 256 KB, 2 MB) against the
    /// four durable saves one after another (<see cref="TransactionBenchmarks"/>). Usage: paired-tx [rounds=31].
    /// </summary>
    public static int RunTransaction(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 31;
        Console.WriteLine($"| comparison | size | ours median | baseline median | median of per-round ratios | rounds |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        var benchmark = new TransactionBenchmarks();
        benchmark.Setup();
        try
        {
            Compare("4-store commit vs four durable saves", "1 KB + 64 KB + 256 KB + 2 MB", rounds, benchmark.Commit, benchmark.FourSaves);
        }
        finally
        {
            benchmark.Cleanup();
        }

        return 0;
    }

    private static void Compare(string name, Size size, int rounds, Action ours, Action baseline) =>
        Compare(name, size.ToString(), rounds, ours, baseline);

    private static void Compare(string name, string size, int rounds, Action ours, Action baseline)
    {
        // Batch fast operations so that one sample lasts at least ~2 ms.
        int batch = 1;

        // Warm both up for 1.5 s (at least 3 calls each): tiered compilation takes about a second to move a path
        // to optimised code, and rounds timed before that compare the JIT's tiers, not the two writers.
        var warmup = Stopwatch.StartNew();
        for (int i = 0; i < 3 || warmup.Elapsed < TimeSpan.FromSeconds(1.5); i++)
        {
            ours();
            baseline();
        }

        var probe = Stopwatch.StartNew();
        baseline();
        double once = probe.Elapsed.TotalMilliseconds;
        if (once < 2)
        {
            batch = (int)Math.Ceiling(2 / Math.Max(once, 0.001));
        }

        var a = new double[rounds];
        var b = new double[rounds];
        var ratios = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0)
            {
                a[r] = Time(ours, batch);
                b[r] = Time(baseline, batch);
            }
            else
            {
                b[r] = Time(baseline, batch);
                a[r] = Time(ours, batch);
            }

            ratios[r] = a[r] / b[r];
        }

        Console.WriteLine($"| {name} | {size} | {Format(Median(a))} | {Format(Median(b))} | {Median(ratios):F2} | {rounds}{(batch > 1 ? $" × {batch} ops" : "")} |");
    }

    private static double Time(Action action, int batch)
    {
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < batch; i++)
        {
            action();
        }

        return clock.Elapsed.TotalMilliseconds / batch;
    }

    private static string Format(double ms) => ms >= 1 ? $"{ms:F2} ms" : $"{ms * 1000:F1} µs";

    private static double Median(double[] values)
    {
        double[] sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
