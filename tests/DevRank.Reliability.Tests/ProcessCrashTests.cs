using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 1: a child saves self-checking documents (1 KB to 4 MB) in a loop and acknowledges each; the parent
/// kill -9s it at random moments. After every kill the file must parse, check out, and be no older than the last
/// acknowledged save; the next start must leave no stale temp behind. DEVRANK_KILLS sets the count (CI: 200).
/// </summary>
public sealed class ProcessCrashTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Kill_minus_9_at_random_moments_never_tears_or_loses_an_acknowledged_save()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "kill -9 suite runs on Unix");
        int kills = Figures.Count("DEVRANK_KILLS", 200);

        Outcome outcome = KillLoop(kills, seed: 20261125);

        output.WriteLine(Figures.Record("process crash (kill -9)", "kills / torn files / older than acknowledged / stale temps after restart",
            $"{outcome.Kills} / {outcome.Torn} / {outcome.Behind} / {outcome.StaleAfterRestart}"));
        output.WriteLine(Figures.Record("process crash (kill -9)", "documents saved across all runs", outcome.MaxSeq));
        Assert.Equal(0, outcome.Torn);
        Assert.Equal(0, outcome.Behind);
        Assert.Equal(0, outcome.StaleAfterRestart);
        Assert.True(outcome.MaxSeq > kills / 4, $"the child saved only {outcome.MaxSeq} documents in {kills} runs: kills too early to test anything");
    }

    [SkippableFact]
    public void The_same_loop_catches_a_plain_in_place_overwrite()
    {
        // Negative control: proves the suite can fail. The overwrite DevRank used to do tears files under kill -9.
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "kill -9 suite runs on Unix");

        Outcome outcome = KillLoop(kills: 60, seed: 7, "--broken-in-place");

        output.WriteLine(Figures.Record("process crash (kill -9), negative control: in-place overwrite", "kills / torn or corrupt files", $"{outcome.Kills} / {outcome.Torn}"));
        Assert.True(outcome.Torn > 0, "60 kills of an in-place writer never left a torn file: the suite cannot tell good from bad");
    }

    private Outcome KillLoop(int kills, int seed, params string[] options)
    {
        string file = _dir.File("crash.json");
        var random = new Random(seed);
        var outcome = new Outcome { Kills = kills };
        string[] tempsBefore = [];

        for (int k = 0; k < kills; k++)
        {
            using var child = new LiveChild(["save-loop", _dir.Path, .. options]);
            Assert.True(child.WaitFor(l => l.StartsWith("started", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
                "child did not start: " + string.Join('\n', child.Lines));

            // The previous run's leftovers must be gone once this run has saved once.
            if (tempsBefore.Length > 0 && child.WaitFor(l => l.StartsWith("acked", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))
            {
                outcome.StaleAfterRestart += tempsBefore.Count(File.Exists);
            }

            Thread.Sleep(random.Next(0, 250));
            child.Kill();
            // A child that stopped by itself failed a save: that is a bug to report as itself, not as a crash result.
            Assert.DoesNotContain(child.Lines, l => l.StartsWith("error ", StringComparison.Ordinal));

            // What this run started from was durable already; what it acknowledged is durable too.
            long started = long.Parse(child.Lines.First(l => l.StartsWith("started ", StringComparison.Ordinal))["started ".Length..]);
            long acked = Math.Max(started, CrashDocs.LastAcked(child.Lines));
            if (!File.Exists(file))
            {
                Assert.Equal(0, acked);
                continue;
            }

            (long seq, bool whole) = CrashDocs.TryRead(file);
            if (!whole)
            {
                outcome.Torn++;
                File.Delete(file); // only the negative control gets here; let its next run start afresh
                continue;
            }

            outcome.Behind += seq < acked ? 1 : 0;
            Assert.True(seq <= acked + 1, $"kill {k}: file has seq {seq}, more than one save beyond the acknowledged {acked}");
            outcome.MaxSeq = Math.Max(outcome.MaxSeq, seq);
            tempsBefore = _dir.Temps();
        }

        return outcome;
    }

    private sealed class Outcome
    {
        public int Kills;
        public int Torn;
        public int Behind;
        public int StaleAfterRestart;
        public long MaxSeq;
    }
}
