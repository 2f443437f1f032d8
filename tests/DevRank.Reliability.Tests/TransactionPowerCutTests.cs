using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 9c, suite 3 for transactions: on loop-mounted ext4, ext4 <c>noauto_da_alloc</c> and XFS images, a child commits
/// ever higher sequence numbers to the four ledger stores; once it has acknowledged a few, the power is cut at a random
/// moment (<c>xfs_io -x -c shutdown</c>: what is not on disk is lost), the image remounted and recovered. The four
/// stores must hold one commit, and never one older than the last acknowledged. DEVRANK_POWERCUT_ROUNDS sets the rounds
/// per file system (CI: 5).
/// </summary>
public sealed class TransactionPowerCutTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static readonly string[] FileSystemNames = ["xfs", "ext4", "ext4,noauto_da_alloc"];

    public static TheoryData<string> FileSystems() => [.. FileSystemNames];

    [SkippableTheory]
    [MemberData(nameof(FileSystems))]
    public void A_power_cut_during_commits_leaves_one_commit_no_older_than_acknowledged(string fileSystem)
    {
        string? why = Root.WhyUnavailable("xfs_io", "mkfs.xfs", "mkfs.ext4");
        Skip.If(why is not null, why);
        int rounds = Figures.Count("DEVRANK_POWERCUT_ROUNDS", 5);

        Outcome outcome = CutLoop(fileSystem, rounds);

        output.WriteLine(Figures.Record($"transactions: power cut during 4-store commits, {fileSystem}", "rounds / one commit (the last acknowledged / one newer) / split / older than acknowledged / recoveries that rolled forward",
            $"{rounds} / {outcome.OneCommit} ({outcome.AtAcked} / {outcome.Newer}) / {outcome.Split} / {outcome.Behind} / {outcome.RolledForward}"));
        Assert.Equal(0, outcome.Split);
        Assert.Equal(0, outcome.Behind);
        Assert.Equal(rounds, outcome.OneCommit);
    }

    [SkippableFact]
    public void The_same_power_cuts_split_four_separate_saves()
    {
        // Negative control: the cuts land while stores are being written, so saves without a transaction come back split.
        string? why = Root.WhyUnavailable("xfs_io", "mkfs.xfs", "mkfs.ext4");
        Skip.If(why is not null, why);
        int rounds = Figures.Count("DEVRANK_POWERCUT_ROUNDS", 5);

        Outcome[] outcomes = [.. FileSystemNames.Select(fileSystem => CutLoop(fileSystem, rounds, "--separate"))];

        int split = outcomes.Sum(o => o.Split);
        output.WriteLine(Figures.Record("transactions: power cut, negative control: four separate saves", "rounds / split", $"{rounds * outcomes.Length} / {split}"));
        Assert.True(split > 0, "no power cut split four separate saves: the cuts do not land inside commits");
    }

    private Outcome CutLoop(string fileSystem, int rounds, params string[] options)
    {
        var random = new Random(fileSystem.Length * 7919);
        var outcome = new Outcome();
        LoopImage.Mounted(_dir, fileSystem, (mount, cut) =>
        {
            for (int round = 0; round < rounds; round++)
            {
                string folder = Path.Combine(mount, $"round-{round}");
                Directory.CreateDirectory(folder);
                using var child = new LiveChild(["tx-loop", folder, .. options]);
                Assert.True(child.WaitFor(l => l.StartsWith("acked 2", StringComparison.Ordinal), TimeSpan.FromSeconds(60)),
                    "the child never acknowledged a commit: " + string.Join('\n', child.Lines));
                Thread.Sleep(random.Next(0, 150));

                // The cut; the child is killed once the file system is down, so nothing it prints after counts.
                long acked = 0;
                cut(() =>
                {
                    acked = CrashDocs.LastAcked(child.Lines);
                    child.Kill();
                });

                StoreRecovery? recovery = StoreTransaction.Recover(folder);
                outcome.RolledForward += recovery?.RolledForward.Count > 0 ? 1 : 0;
                long[] seqs = Ledgers.Read(folder);
                if (!Ledgers.IsOneCommit(seqs))
                {
                    outcome.Split++;
                    output.WriteLine($"{fileSystem} round {round}: split {Ledgers.Describe(seqs)} (acknowledged {acked})");
                    continue;
                }

                outcome.OneCommit++;
                outcome.Behind += seqs[0] < acked ? 1 : 0;
                outcome.AtAcked += seqs[0] == acked ? 1 : 0;
                outcome.Newer += seqs[0] > acked ? 1 : 0;
            }
        });
        return outcome;
    }

    private sealed class Outcome
    {
        public int OneCommit;
        public int AtAcked;
        public int Newer;
        public int Split;
        public int Behind;
        public int RolledForward;
    }
}
