using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 9b, suite 1 for transactions: a child commits ever higher sequence numbers to four stores (1 KB, 16 KB,
/// 256 KB and 2 MB, one in a sub-folder) in one transaction per number and acknowledges each; the parent kill -9s it at
/// random moments. After every kill, and the recovery that whoever comes next runs, the four stores must hold one and
/// the same commit, no older than the last acknowledged. The negative control saves the four stores one after another
/// without a transaction under the same kills: it must leave them split. DEVRANK_TX_KILLS sets the count (CI: 200).
/// </summary>
public sealed class TransactionKillTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Kill_minus_9_during_commits_never_splits_the_four_stores_nor_loses_an_acknowledged_commit()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "kill -9 suite runs on Unix");
        int kills = Figures.Count("DEVRANK_TX_KILLS", 200);

        Outcome outcome = KillLoop(kills, seed: 20261201);

        output.WriteLine(Figures.Record("transactions: kill -9 during 4-store commits", "kills / split / older than acknowledged / recoveries that rolled forward / leftovers",
            $"{outcome.Kills} / {outcome.Split} / {outcome.Behind} / {outcome.RolledForward} / {outcome.Leftovers}"));
        output.WriteLine(Figures.Record("transactions: kill -9 during 4-store commits", "commits acknowledged across all runs", outcome.MaxSeq));
        Assert.Equal(0, outcome.Split);
        Assert.Equal(0, outcome.Behind);
        Assert.Equal(0, outcome.Leftovers);
        Assert.True(outcome.MaxSeq >= kills, $"only {outcome.MaxSeq} commits in {kills} runs, each of which committed at least once");
    }

    [SkippableFact]
    public void The_same_kills_split_four_separate_saves()
    {
        // Negative control: proves the suite can fail. Without a transaction a kill between two saves splits the stores.
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "kill -9 suite runs on Unix");

        Outcome outcome = KillLoop(kills: 24, seed: 11, "--separate");

        output.WriteLine(Figures.Record("transactions: kill -9, negative control: four separate saves", "kills / split", $"{outcome.Kills} / {outcome.Split}"));
        Assert.True(outcome.Split > 0, "24 kills never split four separate saves: the suite cannot tell a transaction from none");
    }

    private Outcome KillLoop(int kills, int seed, params string[] options)
    {
        string folder = _dir.Path;
        var random = new Random(seed);
        var outcome = new Outcome { Kills = kills };
        for (int k = 0; k < kills; k++)
        {
            using var child = new LiveChild(["tx-loop", folder, .. options]);
            // Once it has committed in this run (so a loaded machine's slow start-up cannot make every kill land before
            // the first commit), at a random moment of the commits that follow: each takes some 10-60 ms here.
            Assert.True(child.WaitFor(l => l.StartsWith("acked ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
                "child did not commit: " + string.Join('\n', child.Lines));
            Thread.Sleep(random.Next(0, 120));
            child.Kill();
            Assert.DoesNotContain(child.Lines, l => l.StartsWith("error ", StringComparison.Ordinal));

            long started = long.Parse(child.Lines.First(l => l.StartsWith("started ", StringComparison.Ordinal))["started ".Length..]);
            long acked = Math.Max(started, CrashDocs.LastAcked(child.Lines));
            // What the next opener does first; here the parent is that opener.
            StoreRecovery? recovery = StoreTransaction.Recover(folder);
            outcome.RolledForward += recovery?.RolledForward.Count > 0 ? 1 : 0;
            outcome.Leftovers += Ledgers.Leftovers(folder).Length;

            long[] seqs = Ledgers.Read(folder);
            if (seqs.All(s => s == -1))
            {
                Assert.True(acked <= 0, $"kill {k}: nothing on disk after {acked} acknowledged commits");
                continue;
            }

            if (!Ledgers.IsOneCommit(seqs))
            {
                outcome.Split++;
                output.WriteLine($"kill {k}: split {Ledgers.Describe(seqs)} (acknowledged {acked})");
                // Only the negative control gets here: start its next run from one state again.
                foreach (string file in Ledgers.Files)
                {
                    File.Delete(Path.Combine(folder, file));
                }

                continue;
            }

            outcome.Behind += seqs[0] < acked ? 1 : 0;
            Assert.True(seqs[0] <= acked + 1, $"kill {k}: the stores hold commit {seqs[0]}, more than one beyond the acknowledged {acked}");
            outcome.MaxSeq = Math.Max(outcome.MaxSeq, seqs[0]);
        }

        return outcome;
    }

    private sealed class Outcome
    {
        public int Kills;
        public int Split;
        public int Behind;
        public int RolledForward;
        public int Leftovers;
        public long MaxSeq;
    }
}
