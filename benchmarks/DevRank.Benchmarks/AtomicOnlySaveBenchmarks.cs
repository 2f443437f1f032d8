using BenchmarkDotNet.Attributes;

namespace DevRank.Benchmarks;

/// <summary>
/// Row 2: a save at <see cref="DevRank.AtomicStore.Durability.AtomicOnly"/> against temp + rename without fsync, in
/// its own class because it runs in more processes than the other rows (<see cref="LaunchesAttribute"/>).
/// </summary>
/// <remarks>
/// Without fsyncs, two saves differ by a few microseconds of calls, while this VM's disk makes a whole process fast
/// or slow: each rename waits on a synchronous discard of the replaced file's blocks, whose latency the host sets
/// (docs/benchmarks.md, Findings 9). With three processes per row the ratio at 64 KB ranged from 0.98 to 1.22 over
/// six runs of unchanged code; nine processes per row narrow that spread by about √3.
/// </remarks>
[MemoryDiagnoser]
[Launches(9)]
public class AtomicOnlySaveBenchmarks : SizedBenchmarks
{
    private string _renameTarget = null!, _renameTemp = null!;

    [GlobalSetup]
    public void Setup()
    {
        CreateCaseAndFolder();
        _renameTarget = Path.Combine(Folder, "rename-" + Payload.FileName);
        _renameTemp = _renameTarget + ".tmp";

        // Every target exists before the first measured write, as it does for a store in use.
        Payload.Save(Folder);
        Payload.CheckSavedBytes(Folder);
        Save_AtomicOnly();
        TempRename_NoFsync();
    }

    [Benchmark(Description = "Ours: Save (AtomicOnly)")]
    public void Save_AtomicOnly() => Payload.SaveAtomicOnly(Folder);

    [Benchmark(Baseline = true, Description = "(b) Serialize(temp stream) + File.Move, no fsync")]
    public void TempRename_NoFsync() => Payload.TempRename(_renameTemp, _renameTarget);

    [Benchmark(Description = "(b') File.WriteAllText(temp, Serialize(x)) + File.Move")]
    public void TempRename_String() => Payload.TempRenameString(_renameTemp, _renameTarget);
}
