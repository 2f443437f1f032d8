using System.Text.RegularExpressions;
using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 9a, suite 2 for transactions: trace one commit of four stores (one in a sub-folder) and list its system calls;
/// re-run it once per call with strace killing the process exactly there. After each crash, recovery runs, and the four
/// stores must all be the old commit's or all the new one's. Then the same for the recovery itself: a commit killed
/// after its journal and its first store rename, recovered, and the recovery killed at each of its calls; the next
/// recovery must bring all four to the new commit.
/// </summary>
public sealed partial class TransactionCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Calls = "openat,write,pwrite64,fsync,fdatasync,flock,fchmod,rename,renameat,renameat2,close,unlink,mkdir";
    private readonly TempFolder _dir = new();
    private string? _old;

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_crash_at_any_system_call_of_a_four_store_commit_leaves_all_old_or_all_new()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string probe = CopyOf(OldCommit(), "probe");
        List<Point> points = TracedCalls(probe, ["tx-commit", probe, "2", "--small", "--marker"]);
        Assert.True(points.Count(p => p.Call == "rename") >= 5, "expected the journal's and four stores' renames among: " + string.Join(", ", points.Select(p => p.Call)));

        int old = 0, @new = 0, missed = 0;
        var mixed = new List<string>();
        foreach (Point point in points)
        {
            string dir = CopyOf(OldCommit(), $"{point.Call}-{point.Ordinal}");
            if (!Crash(dir, point, ["tx-commit", dir, "2", "--small", "--marker"]))
            {
                missed++;
                continue;
            }

            // Whoever comes next finishes or discards what the crash left.
            StoreTransaction.Recover(dir);
            long[] seqs = Ledgers.Read(dir);
            if (!Ledgers.IsOneCommit(seqs) || Ledgers.Leftovers(dir).Length > 0)
            {
                mixed.Add($"{point.Call}#{point.Ordinal}: {Ledgers.Describe(seqs)}, leftovers {string.Join(", ", Ledgers.Leftovers(dir))}");
            }
            else if (seqs[0] == 1)
            {
                old++;
            }
            else
            {
                @new++;
            }
        }

        output.WriteLine(Figures.Record("transactions: crash at every syscall of a 4-store commit (strace SIGKILL)", "crash points tried / all old / all new / mixed / not reached",
            $"{points.Count} / {old} / {@new} / {mixed.Count} / {missed}"));
        output.WriteLine("points: " + string.Join(", ", points.Select(p => $"{p.Call}#{p.Ordinal}")));
        mixed.ForEach(output.WriteLine);
        Assert.Empty(mixed);
        Assert.Equal(0, missed);
        Assert.True(old > 0 && @new > 0, "crashes before the journal must leave the old commit, after it the new");
    }

    [SkippableFact]
    public void A_crash_at_any_system_call_of_the_recovery_is_finished_by_the_next_recovery()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        // A commit killed at its third rename (the second store's; the first was the journal's): decided, one store in place.
        string template = CopyOf(OldCommit(), "template");
        var stop = new Point("rename", 3, "");
        Assert.True(Crash(template, stop, ["tx-commit", template, "2", "--small", "--marker"]), "the commit was not killed at its first store rename");
        Assert.True(File.Exists(Path.Combine(template, ".devrank-commit.journal")), "the killed commit left no journal");

        string probe = CopyOf(template, "probe");
        List<Point> points = TracedCalls(probe, ["tx-recover", probe, "--marker"]);
        Assert.Contains(points, p => p.Call == "rename");

        int finished = 0, missed = 0;
        var wrong = new List<string>();
        foreach (Point point in points)
        {
            string dir = CopyOf(template, $"recover-{point.Call}-{point.Ordinal}");
            if (!Crash(dir, point, ["tx-recover", dir, "--marker"]))
            {
                missed++;
                continue;
            }

            StoreTransaction.Recover(dir);
            long[] seqs = Ledgers.Read(dir);
            if (seqs.All(s => s == 2) && Ledgers.Leftovers(dir).Length == 0)
            {
                finished++;
            }
            else
            {
                wrong.Add($"{point.Call}#{point.Ordinal}: {Ledgers.Describe(seqs)}, leftovers {string.Join(", ", Ledgers.Leftovers(dir))}");
            }
        }

        output.WriteLine(Figures.Record("transactions: crash at every syscall of a recovery (strace SIGKILL)", "crash points tried / all new after the next recovery / other / not reached",
            $"{points.Count} / {finished} / {wrong.Count} / {missed}"));
        output.WriteLine("points: " + string.Join(", ", points.Select(p => $"{p.Call}#{p.Ordinal}")));
        wrong.ForEach(output.WriteLine);
        Assert.Empty(wrong);
        Assert.Equal(0, missed);
    }

    private string Fresh(string name)
    {
        string dir = _dir.File(name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    private string CopyOf(string template, string name)
    {
        string dir = Fresh(name);
        foreach (string file in Directory.GetFiles(template, "*", SearchOption.AllDirectories))
        {
            string to = Path.Combine(dir, Path.GetRelativePath(template, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }

        return dir;
    }

    /// <summary>A folder holding the old commit (1) of the four stores, made once by the host and copied for every crash.</summary>
    private string OldCommit()
    {
        if (_old is null)
        {
            _old = Fresh("old");
            (int code, string said) = Child.Run("tx-commit", _old, "1", "--small");
            Assert.True(code == 0, said);
        }

        return _old;
    }

    /// <summary>Runs the host with strace killing it at <paramref name="point"/>, and checks that it died there (when the point has a signature).</summary>
    private bool Crash(string dir, Point point, string[] hostArgs)
    {
        (int exit, string stdout, string[] trace) = Strace.Run(
            ["-e", $"trace={point.Call}", "-e", $"inject={point.Call}:signal=SIGKILL:when={point.Ordinal}"], hostArgs);
        bool killed = !stdout.Contains("ok\n", StringComparison.Ordinal) && trace.Any(l => l.Contains("killed by SIGKILL", StringComparison.Ordinal));
        string? hit = trace.Select(Strace.Parse).Where(c => c?.Call == point.Call).Select(c => Normalize(c!.Value.Args, dir)).LastOrDefault();
        if (killed && (point.Signature.Length == 0 || hit == point.Signature))
        {
            return true;
        }

        output.WriteLine($"{point.Call}#{point.Ordinal}: expected a kill at {point.Signature}, got exit {exit}, last {point.Call}: {hit}");
        return false;
    }

    /// <summary>
    /// The host's calls on the store folder (its files, temps, journal, locks and sub-folder) from the thread that prints
    /// the markers, between "begin" and "ok", with per-thread ordinals. Calls that touch nothing in the folder (the
    /// runtime loading an assembly, say) are not crash points of the protocol: a kill there is a kill before it.
    /// </summary>
    private List<Point> TracedCalls(string dir, string[] hostArgs)
    {
        (int code, string stdout, string[] trace) = Strace.Run(["-e", $"trace={Calls}"], hostArgs);
        Assert.True(code == 0, stdout);
        string? main = trace.Select(l => PidLine().Match(l)).FirstOrDefault(m => m.Success && m.Groups["rest"].Value.Contains("\"begin\\n\"", StringComparison.Ordinal))?.Groups["pid"].Value;
        Assert.True(main is not null, "no \"begin\" marker in the trace");
        var counts = new Dictionary<string, int>();
        var points = new List<Point>();
        bool inside = false;
        foreach (Match line in trace.Select(l => PidLine().Match(l)).Where(m => m.Success && m.Groups["pid"].Value == main))
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

            if (inside && c.Args.Contains(dir, StringComparison.Ordinal))
            {
                points.Add(new Point(c.Call, ordinal, Normalize(c.Args, dir)));
            }
        }

        return points;
    }

    /// <summary>A call's arguments without what differs between runs: the folder, temp names, descriptors, the result.</summary>
    private static string Normalize(string args, string folder)
    {
        string stable = TempName().Replace(args.Replace(folder, "DIR", StringComparison.Ordinal), ".TEMP");
        return Result().Replace(Descriptor().Replace(stable, "FD<"), "");
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<rest>.*)$")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"\.[0-9a-f]{16}\.(tmp|txn)")]
    private static partial Regex TempName();

    [GeneratedRegex(@"\b\d+<")]
    private static partial Regex Descriptor();

    [GeneratedRegex(@"(\)\s+=\s.*| <unfinished \.\.\.>)$")]
    private static partial Regex Result();

    private sealed record Point(string Call, int Ordinal, string Signature);
}
