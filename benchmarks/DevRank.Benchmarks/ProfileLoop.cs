using System.Diagnostics;
using System.Globalization;

namespace DevRank.Benchmarks;

/// <summary>
/// A plain loop over one operation, for profilers (<c>strace -c -f</c>, <c>perf</c>, <c>dotnet-trace</c>), which
/// BenchmarkDotNet's child processes make awkward. Usage: loop &lt;operation&gt; &lt;size&gt; [count=1000].
/// Operations: save, save-atomic, floor, temp-rename, load, read-all-bytes, serialize-chunked, serialize-stream,
/// validate-utf8 (the UTF-8 check <c>Load</c> runs over a whole-read file before parsing it).
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string[] args)
    {
        string op = args[0];
        Size size = Enum.GetValues<Size>().First(s => s.ToString().Contains(args[1], StringComparison.OrdinalIgnoreCase));
        int count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        Case c = Case.Create(size);
        string folder = Case.NewFolder();
        string target = Path.Combine(folder, c.FileName), temp = Path.Combine(folder, "." + c.FileName + ".tmp");
        c.Save(folder);
        Action step = op switch
        {
            "save" => () => c.Save(folder),
            "save-atomic" => () => c.SaveAtomicOnly(folder),
            "floor" => () => BareProtocol.Write(temp, target, folder, c.SerializeToBytes()),
            "temp-rename" => () => c.TempRename(temp, target),
            "load" => () => c.Load(folder),
            "read-all-bytes" => () => c.ReadAllBytesDeserialize(target),
            "serialize-chunked" => c.SerializeChunkedToNullStream,
            "serialize-stream" => c.SerializeToNullStream,
            "validate-utf8" => () => _ = System.Text.Unicode.Utf8.IsValid(c.Bytes),
            _ => throw new ArgumentException("unknown operation " + op),
        };
        // Two seconds of warm-up, not a fixed count: tiered compilation takes about a second to move the save
        // path from tier-0 to optimised code, and a loop that times tier-0 calls measures the JIT, not the save.
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed < TimeSpan.FromSeconds(2))
        {
            step();
        }

        // DEVRANK_LOOP_GC_EVERY=n: a full blocking collection every n calls, outside the timed span, as BenchmarkDotNet
        // does between iterations (docs/benchmarks.md, Findings 9).
        int gcEvery = int.Parse(Environment.GetEnvironmentVariable("DEVRANK_LOOP_GC_EVERY") ?? "0", CultureInfo.InvariantCulture);
        var clock = new Stopwatch();
        if (gcEvery <= 0)
        {
            clock.Start();
            for (int i = 0; i < count; i++)
            {
                step();
            }

            clock.Stop();
        }
        else
        {
            for (int i = 0; i < count; i++)
            {
                if (i % gcEvery == 0)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    GC.Collect();
                }

                clock.Start();
                step();
                clock.Stop();
            }
        }

        Console.WriteLine($"{op} {size}: {clock.Elapsed.TotalMilliseconds / count * 1000:F1} us/op over {count}");
        Case.DeleteFolder(folder);
        return 0;
    }
}
