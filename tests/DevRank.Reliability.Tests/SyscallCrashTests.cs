using System.Text.RegularExpressions;
using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 2, the cheap half of ALICE: trace one save to list its system calls, then re-run the save once per call
/// with strace killing the process (SIGKILL) exactly at that call. After each crash the file must hold the old
/// content or the new, never anything else, and the next load and sweep must succeed.
/// </summary>
public sealed partial class SyscallCrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Calls = "openat,write,pwrite64,fsync,fdatasync,flock,fchmod,rename,renameat,renameat2,close,unlink";
    private const int OldSize = 1000;
    private const int NewSize = 65536;
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_crash_at_any_system_call_of_a_save_leaves_the_old_or_the_new_file()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        List<(string Call, int Ordinal, string Signature)> points = SaveCalls();
        Assert.Contains(points, p => p.Call == "rename");
        Assert.True(points.Count(p => p.Call == "fsync") >= 2, "expected the temp and the folder fsync among: " + string.Join(", ", points.Select(p => p.Call)));

        int old = 0, @new = 0, missed = 0;
        var torn = new List<string>();
        foreach ((string call, int ordinal, string signature) in points)
        {
            string dir = Path.Combine(_dir.Path, $"{call}-{ordinal}");
            Directory.CreateDirectory(dir);
            string path = Path.Combine(dir, "crash.json");
            File.WriteAllBytes(path, Content.For(OldSize));

            (int code, string stdout, string[] trace) = Strace.Run(
                ["-e", $"trace={call}", "-e", $"inject={call}:signal=SIGKILL:when={ordinal}"], "write", path, NewSize.ToString(), "--marker");

            bool killed = !stdout.Contains("ok\n", StringComparison.Ordinal) && trace.Any(l => l.Contains("killed by SIGKILL", StringComparison.Ordinal));
            string? hit = trace.Select(Strace.Parse).Where(c => c?.Call == call).Select(c => Normalize(c!.Value.Args, dir)).LastOrDefault();
            if (!killed || hit != signature)
            {
                missed++;
                output.WriteLine($"{call}#{ordinal}: expected a kill at {signature}, got exit {code}, last {call}: {hit}");
                continue;
            }

            byte[] after = File.ReadAllBytes(path);
            if (after.AsSpan().SequenceEqual(Content.For(OldSize)))
            {
                old++;
            }
            else if (after.AsSpan().SequenceEqual(Content.For(NewSize)))
            {
                @new++;
            }
            else
            {
                torn.Add($"{call}#{ordinal} ({after.Length} bytes)");
            }

            // The next run recovers: stale temps are swept and the file is still whole.
            AtomicFile.SweepStaleTemps(path);
            Assert.Empty(Directory.GetFiles(dir, ".*.tmp"));
        }

        output.WriteLine(Figures.Record("crash at every syscall (strace SIGKILL)", "crash points tried / old / new / torn / not reached",
            $"{points.Count} / {old} / {@new} / {torn.Count} / {missed}"));
        output.WriteLine("points: " + string.Join(", ", points.Select(p => $"{p.Call}#{p.Ordinal}")));
        Assert.Empty(torn);
        Assert.Equal(0, missed);
        Assert.True(old > 0 && @new > 0, "crashes before the rename must leave the old file and after it the new");
    }

    /// <summary>The save's own calls on the main thread, after the child's "begin" marker, with their per-thread ordinals.</summary>
    private List<(string Call, int Ordinal, string Signature)> SaveCalls()
    {
        string probe = _dir.File("probe");
        Directory.CreateDirectory(probe);
        string path = Path.Combine(probe, "crash.json");
        File.WriteAllBytes(path, Content.For(OldSize));
        (int code, string stdout, string[] trace) = Strace.Run(["-e", $"trace={Calls}"], "write", path, NewSize.ToString(), "--marker");
        Assert.True(code == 0, stdout);

        // The thread that prints the marker is the one that saves; strace counts injections per thread.
        string? saver = trace.Select(l => PidLine().Match(l)).FirstOrDefault(m => m.Success && m.Groups["rest"].Value.Contains("\"begin\\n\"", StringComparison.Ordinal))?.Groups["pid"].Value;
        Assert.True(saver is not null, "no \"begin\" marker in the trace:\n" + string.Join('\n', trace.Take(40)));
        var counts = new Dictionary<string, int>();
        var points = new List<(string, int, string)>();
        bool inSave = false;
        foreach (Match line in trace.Select(l => PidLine().Match(l)).Where(m => m.Success && m.Groups["pid"].Value == saver))
        {
            if (Strace.Parse(line.Groups["rest"].Value) is not { } c)
            {
                continue;
            }

            int ordinal = counts[c.Call] = counts.GetValueOrDefault(c.Call) + 1;
            // .NET writes stdout through a duplicate of fd 1, so find the markers by their text.
            if (c.Call == "write")
            {
                if (c.Args.Contains("\"begin\\n\"", StringComparison.Ordinal))
                {
                    inSave = true;
                    continue;
                }

                if (c.Args.Contains("\"ok\\n\"", StringComparison.Ordinal))
                {
                    break;
                }
            }

            if (inSave)
            {
                points.Add((c.Call, ordinal, Normalize(c.Args, probe)));
            }
        }

        return points;
    }

    /// <summary>A call's arguments with what differs between runs taken out: the folder, the temp's random name, the result.</summary>
    private static string Normalize(string args, string folder)
    {
        string stable = TempName().Replace(args.Replace(folder, "DIR", StringComparison.Ordinal), ".crash.json.TEMP.tmp");
        return Result().Replace(stable, "");
    }

    [GeneratedRegex(@"^(?<pid>\d+)\s+(?<rest>.*)$")]
    private static partial Regex PidLine();

    [GeneratedRegex(@"\.crash\.json\.[0-9a-f]{16}\.tmp")]
    private static partial Regex TempName();

    [GeneratedRegex(@"(\)\s+=\s.*| <unfinished \.\.\.>)$")]
    private static partial Regex Result();
}
