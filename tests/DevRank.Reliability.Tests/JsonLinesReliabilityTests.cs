using System.Globalization;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>The record the test host's JSON Lines commands append (DevRank.TestHost's LogLine), read back here through a store.</summary>
public sealed record LogLine(string Tag, int N, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Payload = null);

/// <summary>What the JSON Lines suites check after every crash: the file loads, and which records it holds.</summary>
internal static class JsonLinesLog
{
    public static JsonLinesFileStore<List<LogLine>, LogLine> Store() =>
        JsonLinesFileStore.CreateWithReflection<List<LogLine>, LogLine>("log.jsonl", lockTimeout: TimeSpan.FromMinutes(2));

    public static int Acked(string[] lines) =>
        lines.Where(l => l.StartsWith("acked ", StringComparison.Ordinal)).Select(l => int.Parse(l["acked ".Length..], CultureInfo.InvariantCulture)).DefaultIfEmpty(-1).Max();

    /// <summary>Records of <paramref name="tag"/> in file order, as their numbers.</summary>
    public static List<int> Of(List<LogLine> records, string tag) => records.Where(r => r.Tag == tag).Select(r => r.N).ToList();
}

/// <summary>
/// Suite 2 for JSON Lines: one append (to an existing file, to a new file in a new folder, to a file with a torn tail)
/// and one compaction are traced, then re-run once per system call that touches the store's folder, with strace
/// killing the child (SIGKILL) at that call. After each crash the file loads, every record acknowledged before is in
/// it once and in order, the record being appended is there at most once, and a torn tail is at most that record.
/// The next append recovers the file.
/// </summary>
public sealed partial class JsonLinesSyscallCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Calls = "openat,mkdir,flock,pread64,write,pwrite64,ftruncate,fsync,fdatasync,fchmod,rename,renameat,renameat2,link,linkat,unlink,unlinkat,close";
    private const int Before = 20;
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Scenarios() => ["append", "append-new-file", "append-after-torn-tail", "compact"];

    [SkippableTheory]
    [MemberData(nameof(Scenarios))]
    public void A_crash_at_any_system_call_of_an_append_or_compaction_loses_and_repeats_no_acknowledged_record(string scenario)
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string[] what = scenario == "compact" ? ["compact"] : ["append", "new", "0"];
        List<(string Call, int Ordinal, string Signature)> points = Points(scenario, what);
        Assert.Contains(points, p => p.Call == (scenario == "compact" ? "rename" : "write"));
        Assert.Contains(points, p => p.Call == "fsync");

        int without = 0, with = 0, tornLeft = 0, missed = 0;
        // Two crashes at a time (each is mostly a traced start-up): the points' folders are independent.
        var runs = points.AsParallel().AsOrdered().WithDegreeOfParallelism(2).Select(p =>
        {
            string dir = Prepare(scenario, $"{p.Call}-{p.Ordinal}");
            (int code, string stdout, string[] trace) = Strace.Run(
                ["-e", $"trace={p.Call}", "-e", $"inject={p.Call}:signal=SIGKILL:when={p.Ordinal}"], ["jsonl-once", dir, .. what]);
            return (p.Call, p.Ordinal, p.Signature, dir, code, stdout, trace);
        }).ToList();
        foreach ((string call, int ordinal, string signature, string dir, int code, string stdout, string[] trace) in runs)
        {
            bool killed = !stdout.Contains("ok\n", StringComparison.Ordinal) && trace.Any(l => l.Contains("killed by SIGKILL", StringComparison.Ordinal));
            string? hit = trace.Select(Strace.Parse).Where(c => c?.Call == call).Select(c => Normalize(call, c!.Value.Args, Base(scenario, $"{call}-{ordinal}"))).LastOrDefault();
            if (!killed || hit != signature)
            {
                missed++;
                output.WriteLine($"{call}#{ordinal}: expected a kill at {signature}, got exit {code}, last {call}: {hit}");
                continue;
            }

            var store = JsonLinesLog.Store();
            var tails = new List<JsonLinesTail>();
            store.TornTail += (_, t) => tails.Add(t);
            int acknowledged = scenario == "append-new-file" ? 0 : Before;
            List<LogLine> records = File.Exists(store.GetPath(dir)) ? store.Load(dir) : [];
            Assert.True(scenario == "append-new-file" || File.Exists(store.GetPath(dir)), $"{call}#{ordinal}: the file is gone");

            // Every acknowledged record once, in order; the unacknowledged one at most once, last; nothing else.
            Assert.Equal(Enumerable.Range(0, acknowledged), JsonLinesLog.Of(records, "old"));
            List<int> added = JsonLinesLog.Of(records, "new");
            Assert.True(added.Count <= 1 && scenario != "compact" || added.Count == 0, $"{call}#{ordinal}: the new record {added.Count} times");
            Assert.Equal(acknowledged + added.Count, records.Count);
            if (added.Count == 1)
            {
                Assert.Equal("new", records[^1].Tag);
            }

            with += added.Count;
            without += 1 - added.Count;
            // A tail left behind is the planted one (the append-after-torn-tail case, killed before the cut) or the
            // unacknowledged record's prefix; neither is ever a whole record, and the load already skipped it.
            tornLeft += tails.Count;
            Assert.True(tails.Count == 0 || records.Count == acknowledged, $"{call}#{ordinal}: a torn tail after the new record");

            // The next append recovers: it cuts any tail and lands after what is there, and the file is whole.
            store.Append(dir, new LogLine("after", 0));
            Assert.Null(store.FindTornTail(dir));
            Assert.Equal([.. records, new LogLine("after", 0)], store.Load(dir));
        }

        output.WriteLine(Figures.Record($"JSON Lines crash at every syscall ({scenario})", "crash points tried / without the record / with it / torn tail left / not reached",
            $"{points.Count} / {without} / {with} / {tornLeft} / {missed}"));
        output.WriteLine("points: " + string.Join(", ", points.Select(p => $"{p.Call}#{p.Ordinal}")));
        Assert.Equal(0, missed);
        if (scenario != "compact")
        {
            Assert.True(without > 0 && with > 0, "crashes before the write must leave the file without the record and after it with it");
        }
    }

    /// <summary>A fresh folder in the scenario's starting state: 20 acknowledged records (plus a torn tail), or nothing.</summary>
    private string Base(string scenario, string name) => Path.Combine(_dir.Path, scenario, name);

    private string Prepare(string scenario, string name)
    {
        string dir = Base(scenario, name);
        if (scenario == "append-new-file")
        {
            Directory.CreateDirectory(dir);
            return Path.Combine(dir, "new", "sub"); // neither level exists yet: the append makes both
        }

        Directory.CreateDirectory(dir);
        var store = JsonLinesLog.Store();
        store.Append(dir, Enumerable.Range(0, Before).Select(i => new LogLine("old", i)));
        if (scenario == "append-after-torn-tail")
        {
            File.AppendAllText(store.GetPath(dir), "{\"Tag\":\"torn\",\"N\":4");
        }

        return dir;
    }

    /// <summary>The calls of the append or compaction on the thread that prints the markers, that touch the store's folder.</summary>
    private List<(string Call, int Ordinal, string Signature)> Points(string scenario, string[] what)
    {
        string probe = Prepare(scenario, "probe");
        (int code, string stdout, string[] trace) = Strace.Run(["-e", $"trace={Calls}"], ["jsonl-once", probe, .. what]);
        Assert.True(code == 0, stdout);

        string? worker = trace.Select(l => PidLine().Match(l)).FirstOrDefault(m => m.Success && m.Groups["rest"].Value.Contains("\"begin\\n\"", StringComparison.Ordinal))?.Groups["pid"].Value;
        Assert.True(worker is not null, "no \"begin\" marker in the trace:\n" + string.Join('\n', trace.Take(40)));
        var counts = new Dictionary<string, int>();
        var points = new List<(string, int, string)>();
        bool inside = false;
        string root = Base(scenario, "probe");
        foreach (Match line in trace.Select(l => PidLine().Match(l)).Where(m => m.Success && m.Groups["pid"].Value == worker))
        {
            if (Strace.Parse(line.Groups["rest"].Value) is not { } c)
            {
                continue;
            }

            int ordinal = counts[c.Call] = counts.GetValueOrDefault(c.Call) + 1;
            if (c.Call == "write" && c.Args.Contains("\"begin\\n\"", StringComparison.Ordinal))
            {
                inside = true;
                continue;
            }

            if (c.Call == "write" && c.Args.Contains("\"ok\\n\"", StringComparison.Ordinal))
            {
                break;
            }

            // Calls that touch no file of the store (the runtime loading code, say) crash like their neighbours.
            if (inside && c.Args.Contains(root, StringComparison.Ordinal))
            {
                points.Add((c.Call, ordinal, Normalize(c.Call, c.Args, root)));
            }
        }

        return points;
    }

    /// <summary>
    /// A call's arguments with what differs between runs taken out: the folder, the temp's random name, the result,
    /// and for a read the buffer (strace prints it on return, which a kill at entry never reaches).
    /// </summary>
    private static string Normalize(string call, string args, string folder)
    {
        if (call == "pread64" && args.IndexOf('>') is > 0 and int end)
        {
            args = args[..(end + 1)];
        }

        string stable = TempName().Replace(args.Replace(folder, "DIR", StringComparison.Ordinal), ".log.jsonl.TEMP.tmp");
        return Result().Replace(stable, "");
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<rest>.*)$")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"\.log\.jsonl\.[0-9a-zA-Z]+\.tmp")]
    private static partial Regex TempName();

    [GeneratedRegex(@"(\)\s+=\s.*| <unfinished \.\.\.>)$")]
    private static partial Regex Result();
}

/// <summary>
/// Suite 1 for JSON Lines: four lanes of appending children (1 KB records, each printing "acked N" when its append
/// returns) on one file, each child killed with kill -9 at a random moment after start-up, then replaced. After every
/// kill the file loads and holds every record that child acknowledged, once, in order, with at most one more; at the
/// end, after every later append (and every torn tail they cut), every run's records are still there, none twice.
/// DEVRANK_KILLS sets the number of kills (CI: 200).
/// </summary>
public sealed class JsonLinesProcessCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Lanes = 4;
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Kill_minus_9_of_appending_processes_never_loses_or_repeats_an_acknowledged_record()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "kill -9 suite runs on Unix");
        int kills = Figures.Count("DEVRANK_KILLS", 200);
        var store = JsonLinesLog.Store();
        var tails = new List<JsonLinesTail>();
        store.TornTail += (_, t) => tails.Add(t);
        var kept = new Dictionary<string, int>(); // run tag -> records of it in the file after its kill
        var sync = new object();
        int acknowledged = 0;
        store.Append(_dir.Path, new LogLine("seed", 0, new string('p', 1000))); // a child killed before its first append makes no file
        var clock = System.Diagnostics.Stopwatch.StartNew();

        Task[] lanes = Enumerable.Range(0, Lanes).Select(lane => Task.Factory.StartNew(() =>
        {
            var random = new Random(20261202 + lane);
            for (int run = lane; run < kills; run += Lanes)
            {
                string tag = $"r{run}";
                using var child = new LiveChild("jsonl-append", _dir.Path, tag, "1000000", "--payload", "1000");
                Assert.True(child.WaitFor(l => l.StartsWith("started", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), string.Join('\n', child.Lines));
                // One run in four is killed 0-40 ms after start-up, so in or before its first append; the others once
                // they have acknowledged one, 0-60 ms later: among later appends, whatever the machine's load.
                if (run % 4 != 0)
                {
                    Assert.True(child.WaitFor(l => l.StartsWith("acked", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), string.Join('\n', child.Lines));
                }

                Thread.Sleep(random.Next(0, run % 4 == 0 ? 40 : 60));
                child.Kill();
                Assert.DoesNotContain(child.Lines, l => l.StartsWith("error", StringComparison.Ordinal));
                int acked = JsonLinesLog.Acked(child.Lines);

                lock (sync)
                {
                    // Reads take no lock: the other lanes' children go on appending while this one is checked.
                    List<LogLine> records = store.Load(_dir.Path);
                    List<int> mine = JsonLinesLog.Of(records, tag);
                    Assert.Equal(Enumerable.Range(0, mine.Count), mine);
                    Assert.InRange(mine.Count, acked + 1, acked + 2);
                    Assert.Equal(records.Count, records.Select(r => (r.Tag, r.N)).Distinct().Count());
                    kept[tag] = mine.Count;
                    acknowledged += acked + 1;
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(lanes);

        // The appends after each kill (which cut its torn tail, if any) took nothing away from any run.
        List<LogLine> all = store.Load(_dir.Path);
        foreach ((string tag, int count) in kept)
        {
            Assert.Equal(Enumerable.Range(0, count), JsonLinesLog.Of(all, tag));
        }

        Assert.Equal(kept.Values.Sum() + 1, all.Count);
        Assert.All(all, r => Assert.Equal(1000, r.Payload?.Length));
        output.WriteLine(Figures.Record("JSON Lines process crash (kill -9, 4 appending processes at a time)",
            "kills / acknowledged / written / lost / repeated / torn tails seen / seconds",
            $"{kills} / {acknowledged} / {all.Count - 1} / 0 / 0 / {tails.Count} / {clock.Elapsed.TotalSeconds:F0}"));
        Assert.True(acknowledged > kills, $"only {acknowledged} appends acknowledged in {kills} runs: kills too early to test anything");
    }
}

/// <summary>
/// Suite 5 for JSON Lines: 4 processes × 250 appends while a fifth compacts (an update that keeps every record, so a
/// save that replaces the file) in a loop: exactly 1,000 records, each once, each process's in its order.
/// </summary>
public sealed class JsonLinesConcurrencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Four_processes_times_250_appends_while_a_fifth_compacts_make_exactly_1000_records()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");
        var store = JsonLinesLog.Store();
        store.Append(_dir.Path, new LogLine("seed", 0));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var compactor = new LiveChild("jsonl-compact", _dir.Path, "1000000");
        Assert.True(compactor.WaitFor(l => l.StartsWith("compacted", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), string.Join('\n', compactor.Lines));
        var appenders = Enumerable.Range(0, 4).Select(i => new LiveChild("jsonl-append", _dir.Path, $"p{i}", "250")).ToArray();
        try
        {
            foreach (LiveChild appender in appenders)
            {
                Assert.Equal(0, appender.WaitForExit());
            }
        }
        finally
        {
            foreach (LiveChild appender in appenders)
            {
                appender.Dispose();
            }
        }

        // Stopped by kill -9, possibly mid-compaction: a crash it must survive too.
        compactor.Kill();
        Assert.DoesNotContain(compactor.Lines, l => l.StartsWith("error", StringComparison.Ordinal));
        int compactions = compactor.Lines.Count(l => l.StartsWith("compacted", StringComparison.Ordinal));
        List<LogLine> records = store.Load(_dir.Path);
        int[] sizes = [.. Enumerable.Range(0, 4).Select(i => JsonLinesLog.Of(records, $"p{i}").Count)];

        output.WriteLine(Figures.Record("JSON Lines concurrency", "4 processes x 250 appends + 1 compacting: records / lost / doubled / compactions / seconds",
            $"{records.Count - 1} / {Math.Max(0, 1000 - sizes.Sum())} / {records.Count - records.Select(r => (r.Tag, r.N)).Distinct().Count()} / {compactions} / {clock.Elapsed.TotalSeconds:F0}"));
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(Enumerable.Range(0, 250), JsonLinesLog.Of(records, $"p{i}"));
        }

        Assert.Equal(1001, records.Count);
        Assert.True(compactions >= 10, $"only {compactions} compactions ran among the appends: no race was tested");
    }
}

/// <summary>
/// Suite 3 for JSON Lines: on loop-mounted XFS, ext4 and ext4 noauto_da_alloc images, each round appends 100 records
/// (one call each) into a new folder's new file, then 50 more from a second process into the same file, then cuts the
/// power (<c>xfs_io -x -c shutdown</c>, no log flush) and remounts: every acknowledged record must be back, once. The
/// negative control, after the durable appends so that their flushes cannot carry it: 100 appends at the atomic-only
/// level (no fsync) into another new folder, which must lose records.
/// DEVRANK_POWERCUT_ROUNDS sets the rounds per file system (CI: 3).
/// </summary>
public sealed class JsonLinesPowerCutTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> FileSystems() => ["xfs", "ext4", "ext4,noauto_da_alloc"];

    [SkippableTheory]
    [MemberData(nameof(FileSystems))]
    public void Acknowledged_appends_survive_a_power_cut_and_appends_without_fsync_do_not(string fileSystem)
    {
        string? why = Root.WhyUnavailable("xfs_io", "mkfs.xfs", "mkfs.ext4");
        Skip.If(why is not null, why);
        int rounds = Figures.Count("DEVRANK_POWERCUT_ROUNDS", 3);
        var store = JsonLinesLog.Store();
        int acked = 0, back = 0, controlAcked = 0, controlBack = 0, controlCorrupt = 0, tails = 0;
        store.TornTail += (_, _) => tails++;

        string image = _dir.File("fs.img");
        string mount = _dir.File("mnt");
        Directory.CreateDirectory(mount);
        string[] parts = fileSystem.Split(',', 2);
        string options = parts.Length > 1 ? "loop," + parts[1] : "loop";
        Sh.Must("truncate", "-s", "320M", image);
        Sh.Must(parts[0] == "xfs" ? "mkfs.xfs" : "mkfs.ext4", parts[0] == "xfs" ? ["-q", "-f", image] : ["-q", "-F", image]);
        Sh.Must("mount", "-o", options, image, mount);
        bool mounted = true;
        try
        {
            for (int round = 0; round < rounds; round++)
            {
                string folder = Path.Combine(mount, $"round-{round}", "log");
                string control = Path.Combine(mount, $"control-{round}", "log");
                acked += Append(folder, "a", 100) + Append(folder, "b", 50);
                controlAcked += Append(control, "c", 100, "--atomic-only");

                Sh.Must("xfs_io", "-x", "-c", "shutdown", mount);
                Sh.Must("umount", mount);
                mounted = false;
                Sh.Must("mount", "-o", options, image, mount);
                mounted = true;

                List<LogLine> records = store.Load(folder);
                Assert.Equal(Enumerable.Range(0, 100), JsonLinesLog.Of(records, "a"));
                Assert.Equal(Enumerable.Range(0, 50), JsonLinesLog.Of(records, "b"));
                Assert.Equal(150, records.Count);
                back += records.Count;
                try
                {
                    List<int> survived = File.Exists(store.GetPath(control)) ? JsonLinesLog.Of(store.Load(control), "c") : [];
                    Assert.Equal(Enumerable.Range(0, survived.Count), survived);
                    controlBack += survived.Count;
                }
                catch (StoreCorruptException)
                {
                    controlCorrupt++;
                }
            }
        }
        finally
        {
            if (mounted)
            {
                Sh.Run("umount", mount);
            }

            File.Delete(image);
        }

        output.WriteLine(Figures.Record($"JSON Lines power cut, {fileSystem}", "durable appends: rounds / acknowledged / back / lost",
            $"{rounds} / {acked} / {back} / {acked - back}"));
        output.WriteLine(Figures.Record($"JSON Lines power cut, {fileSystem}", "appends without fsync (negative control): acknowledged / back / lost / corrupt files / torn tails seen",
            $"{controlAcked} / {controlBack} / {controlAcked - controlBack} / {controlCorrupt} / {tails}"));
        Assert.Equal(acked, back);
        Assert.True(controlBack < controlAcked, "appends without fsync all survived: the power cut is not cutting");
    }

    private static int Append(string folder, string tag, int count, params string[] options)
    {
        (int code, string said) = Child.Run(["jsonl-append", folder, tag, count.ToString(CultureInfo.InvariantCulture), .. options]);
        Assert.True(code == 0, said);
        return JsonLinesLog.Acked(said.Split('\n')) + 1;
    }
}
