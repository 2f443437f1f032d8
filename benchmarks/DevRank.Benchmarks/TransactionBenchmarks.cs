using BenchmarkDotNet.Attributes;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>
/// Issue #17's target: one transaction over four stores of one folder (1 KB <see cref="Profile"/>, 64 KB
/// <see cref="Visited"/>, 256 KB <see cref="Blocklist"/>, 2 MB <see cref="Tracker"/>) against the four durable saves
/// one after another that it replaces (target: at most 1.3 ×). Also the check a plain save or update now makes for an
/// interrupted commit (one failed <c>statx</c> of the journal's name), beside the smallest save it is added to.
/// </summary>
[MemoryDiagnoser]
public class TransactionBenchmarks
{
    private Profile _profile = null!;
    private Visited _visited = null!;
    private Blocklist _blocklist = null!;
    private Tracker _tracker = null!;
    private string _folder = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_profile, _visited, _blocklist, _tracker) = (Payloads.Profile(), Payloads.Visited(), Payloads.Blocklist(), Payloads.Tracker());
        _folder = Case.NewFolder();
        // Every store exists before the first measured write, as it does for stores in use; and the lock files too.
        FourSaves();
        Commit();
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Baseline = true, Description = "Four durable saves, one after another (1 KB, 64 KB, 256 KB, 2 MB)")]
    public void FourSaves()
    {
        _profile.Save(_folder);
        _visited.Save(_folder);
        _blocklist.Save(_folder);
        _tracker.Save(_folder);
    }

    [Benchmark(Description = "One transaction committing the same four stores")]
    public void Commit()
    {
        using StoreTransaction transaction = StoreTransaction.Begin(_folder);
        transaction.Save(_profile);
        transaction.Save(_visited);
        transaction.Save(_blocklist);
        transaction.Save(_tracker);
        transaction.Commit();
    }

    [Benchmark(Description = "One durable save of the 1 KB store")]
    public void SaveSmallest() => _profile.Save(_folder);

    [Benchmark(Description = "The journal check a plain save or update makes (one failed statx)")]
    public bool JournalCheck() => CommitJournal.IsPresent(_folder);
}
