using System.Globalization;
using System.Text.Json.Serialization;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.AtomicStore.Tests;

/// <summary>The record DevRank.TestHost's JSON Lines commands append (the same JSON shape).</summary>
public sealed record LogLine(string Tag, int N, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Payload = null);

/// <summary>
/// JSON Lines stores across real processes: appends racing compactions, appenders in several processes, and
/// appenders killed with kill -9 at random moments. Every acknowledged append must be in the file, once, in order.
/// </summary>
public sealed class JsonLinesProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly JsonLinesFileStore<List<LogLine>, LogLine> _log =
        JsonLinesFileStore.CreateWithReflection<List<LogLine>, LogLine>("log.jsonl", lockTimeout: TimeSpan.FromMinutes(2));

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Appends_racing_compactions_in_another_process_never_land_in_the_file_a_compaction_replaced()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "flock across processes");
        const int Compactions = 30;
        var random = new Random(20260116);
        _log.Append(_dir.Path, new LogLine("parent", 0));
        using var compactor = new LiveChild("jsonl-compact", _dir.Path, "1000000");
        Assert.True(compactor.WaitFor(l => l.StartsWith("compacted", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), string.Join('\n', compactor.Lines));

        // Append until the other process has replaced the file (load, save: rename, under the lock) often enough. The
        // pauses let it take the lock: flock is not fair, and a tight loop of appends can keep it for seconds.
        int compactionsBefore = compactor.Lines.Length;
        int appends = 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((compactor.Lines.Length - compactionsBefore < Compactions || appends < 300) && clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            // Each append returns once durable; a compaction may run between any two.
            _log.Append(_dir.Path, new LogLine("parent", appends++));
            Thread.Sleep(random.Next(0, 3));
        }

        int compactions = compactor.Lines.Length - compactionsBefore;
        compactor.Kill();

        Assert.DoesNotContain(compactor.Lines, l => l.StartsWith("error", StringComparison.Ordinal));
        output.WriteLine($"{compactions} compactions (renames) ran during {appends} appends");
        Assert.True(compactions >= Compactions, $"only {compactions} compactions ran during {appends} appends in 90 s: the race was hardly run");
        Assert.Equal(Enumerable.Range(0, appends), _log.Load(_dir.Path).Select(l => l.N));
    }

    [SkippableFact]
    public void Appenders_in_three_processes_each_get_every_record_in_once_whole_and_in_order()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "flock across processes");
        const int Each = 150;

        var children = Enumerable.Range(0, 3).Select(k => new LiveChild("jsonl-append", _dir.Path, $"p{k}", Each.ToString(CultureInfo.InvariantCulture))).ToList();
        try
        {
            Assert.All(children, child => Assert.Equal(0, child.WaitForExit()));
        }
        finally
        {
            children.ForEach(child => child.Dispose());
        }

        List<LogLine> lines = _log.Load(_dir.Path);
        Assert.Equal(3 * Each, lines.Count);
        Assert.All(lines.GroupBy(l => l.Tag), tag => Assert.Equal(Enumerable.Range(0, Each), tag.Select(l => l.N)));
        Assert.EndsWith("\n", File.ReadAllText(_log.GetPath(_dir.Path)), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void An_appender_killed_at_random_moments_never_loses_or_repeats_an_acknowledged_record()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "kill -9 runs on Unix");
        int kills = Figures.Count("DEVRANK_JSONL_KILLS", 12);
        var random = new Random(20260115);
        var tails = new List<JsonLinesTail>();
        _log.TornTail += (_, tail) => tails.Add(tail);
        int total = 0;

        for (int k = 0; k < kills; k++)
        {
            string tag = $"run{k}";
            // 4 KB records. A kill rarely lands inside write(2) itself (the page-cache copy is short next to the fsync);
            // when it does, the tail it leaves is reported and cut like the planted ones of JsonLinesFileStoreTests.
            using (var child = new LiveChild("jsonl-append", _dir.Path, tag, "1000000", "--payload", "4000"))
            {
                Assert.True(child.WaitFor(l => l.StartsWith("acked", StringComparison.Ordinal), TimeSpan.FromSeconds(60)), string.Join('\n', child.Lines));
                Thread.Sleep(random.Next(0, 200));
                child.Kill();
                Assert.DoesNotContain(child.Lines, l => l.StartsWith("error", StringComparison.Ordinal));

                int acked = child.Lines.Where(l => l.StartsWith("acked ", StringComparison.Ordinal)).Select(l => int.Parse(l["acked ".Length..], CultureInfo.InvariantCulture)).Max();
                List<LogLine> lines = _log.Load(_dir.Path);
                List<int> mine = lines.Where(l => l.Tag == tag).Select(l => l.N).ToList();

                // Every acknowledged record, in order, once; at most one more that was written but not yet acknowledged.
                Assert.Equal(Enumerable.Range(0, mine.Count), mine);
                Assert.InRange(mine.Count, acked + 1, acked + 2);
                Assert.All(lines, l => Assert.Equal(4000, l.Payload?.Length));
                Assert.Equal(total, lines.Count - mine.Count);
                total = lines.Count;
            }
        }

        // The next append cuts whatever the last kill left, and the file is whole again.
        _log.Append(_dir.Path, new LogLine("after", 0, new string('p', 4000)));
        Assert.Null(_log.FindTornTail(_dir.Path));
        Assert.Equal(total + 1, _log.Load(_dir.Path).Count);
        output.WriteLine(Figures.Record("JSON Lines appends (kill -9)", "kills / records acknowledged or written / torn tails seen", $"{kills} / {total} / {tails.Count(t => !t.Truncated)}"));
    }
}
