using System.Text.Json;
using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>Suite 5: many writers and readers on one store, in one process and across processes, one of them killed.</summary>
public sealed class ConcurrencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed record Doc(int Writer, int Seq, string Body);

    [Fact]
    public async Task Eight_writers_times_500_saves_with_four_readers_loading_never_fail_a_load()
    {
        var store = JsonFileStore.CreateWithReflection<Doc>("doc.json");
        store.Save(_dir.Path, new Doc(-1, 0, ""));
        using var stop = new CancellationTokenSource();
        long loads = 0;

        Task[] readers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Doc doc = store.Load(_dir.Path);
                Assert.Equal(doc.Seq % 97, doc.Body.Length % 97);
                Interlocked.Increment(ref loads);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Task[] writers = Enumerable.Range(0, 8).Select(w => Task.Factory.StartNew(() =>
        {
            for (int i = 1; i <= 500; i++)
            {
                store.Save(_dir.Path, new Doc(w, i, new string('x', (i % 97) + (97 * (w + 1)))));
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        await Task.WhenAll(writers);
        await stop.CancelAsync();
        await Task.WhenAll(readers);

        output.WriteLine(Figures.Record("concurrency", "in-process: saves / concurrent loads / failed loads", $"4000 / {loads} / 0"));
        Assert.Equal(500, store.Load(_dir.Path).Seq);
        Assert.True(loads > 0);
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void A_process_killed_mid_update_neither_wedges_the_others_nor_loses_an_acknowledged_increment()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");
        // The victim has more to do than the others, so that it is still updating when it is killed.
        var children = Enumerable.Range(0, 4).Select(i => new LiveChild("increment", _dir.Path, i == 0 ? "100000" : "250")).ToArray();
        try
        {
            LiveChild victim = children[0];
            Assert.True(victim.WaitFor(_ => victim.Lines.Count(x => x.StartsWith("acked ", StringComparison.Ordinal)) >= 30, TimeSpan.FromSeconds(120)),
                "the victim never got going: " + string.Join('\n', victim.Lines));
            victim.Kill();

            foreach (LiveChild survivor in children.Skip(1))
            {
                Assert.Equal(0, survivor.WaitForExit());
            }

            int victimAcked = victim.Lines.Count(l => l.StartsWith("acked ", StringComparison.Ordinal));
            int final = JsonDocument.Parse(File.ReadAllText(_dir.File("counter.json"))).RootElement.GetProperty("N").GetInt32();
            int[] acked = children.SelectMany(c => c.Lines).Where(l => l.StartsWith("acked ", StringComparison.Ordinal)).Select(l => int.Parse(l[6..])).ToArray();

            output.WriteLine(Figures.Record("concurrency", "3 processes x 250 updates + one killed mid-run: acknowledged / final count / lost", $"{acked.Length} / {final} / {Math.Max(0, acked.Length - final)}"));
            // Every acknowledged increment is in the file; at most one more (saved, then killed before it printed).
            Assert.InRange(final, 750 + victimAcked, 750 + victimAcked + 1);
            Assert.Equal(acked.Length, acked.Distinct().Count());
        }
        finally
        {
            foreach (LiveChild child in children)
            {
                child.Dispose();
            }
        }
    }
}
