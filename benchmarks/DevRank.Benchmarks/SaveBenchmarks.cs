using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>
/// Rows 1 and 2: a durable save against the floor and the usual alternatives, and an atomic-only save against temp +
/// rename without fsync. Each category has its own baseline; every file lives in one folder on the real disk.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class SaveBenchmarks
{
    private Case _case = null!;
    private string _folder = null!;
    private string _floorTarget = null!, _floorTemp = null!, _plainTarget = null!, _renameTarget = null!, _renameTemp = null!, _bytesTarget = null!;

    [ParamsSource(nameof(AllSizes))]
    public Size Size { get; set; }

    public static IEnumerable<Size> AllSizes => Case.Sizes(Enum.GetValues<Size>());

    [GlobalSetup]
    public void Setup()
    {
        _case = Case.Create(Size);
        _folder = Case.NewFolder();
        _floorTarget = Path.Combine(_folder, "floor-" + _case.FileName);
        _floorTemp = Path.Combine(_folder, ".floor-" + _case.FileName + ".tmp");
        _plainTarget = Path.Combine(_folder, "plain-" + _case.FileName);
        _renameTarget = Path.Combine(_folder, "rename-" + _case.FileName);
        _renameTemp = _renameTarget + ".tmp";
        _bytesTarget = Path.Combine(_folder, "bytes-" + _case.FileName);

        // Every target exists before the first measured write, as it does for a store in use.
        _case.Save(_folder);
        _case.CheckSavedBytes(_folder);
        _case.SaveAtomicOnly(_folder);
        Floor();
        AtomicFile_ProtocolOnly();
        NotAtomic_WriteAllText();
        TempRename_NoFsync();
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    // ---- Durable: baseline = the floor (serialise to bytes + bare protocol) ----

    [Benchmark(Description = "Ours: Save (durable)")]
    [BenchmarkCategory("1-Durable")]
    public void Save_Durable() => _case.Save(_folder);

    [Benchmark(Baseline = true, Description = "(c) Floor: SerializeToUtf8Bytes + bare protocol")]
    [BenchmarkCategory("1-Durable")]
    public void Floor() => BareProtocol.Write(_floorTemp, _floorTarget, _folder, _case.SerializeToBytes());

    [Benchmark(Description = "(c) Bare protocol only, pre-serialised bytes")]
    [BenchmarkCategory("1-Durable")]
    public void Floor_ProtocolOnly() => BareProtocol.Write(_floorTemp, _floorTarget, _folder, _case.Bytes);

    // Splits our overhead in two: the protocol layer (AtomicFile on the same bytes) vs the store and serializer on top.
    [Benchmark(Description = "Ours: AtomicFile.WriteAllBytes, pre-serialised bytes")]
    [BenchmarkCategory("1-Durable")]
    public void AtomicFile_ProtocolOnly() => AtomicFile.WriteAllBytes(_bytesTarget, _case.Bytes);

    [Benchmark(Description = "(c) SerializeToUtf8Bytes only")]
    [BenchmarkCategory("1-Durable")]
    public byte[] Floor_SerializeOnly() => _case.SerializeToBytes();

    // The serializer alone, both ways: Serialize(Stream) is what (b) uses, JsonStreaming is what Save uses.
    [Benchmark(Description = "Serialize(Stream.Null) only (Save's serializer for collections of values)")]
    [BenchmarkCategory("1-Durable")]
    public void SerializeToStreamOnly() => _case.SerializeToNullStream();

    [Benchmark(Description = "JsonStreaming.Serialize(Stream.Null) only (Save's serializer for documents of objects)")]
    [BenchmarkCategory("1-Durable")]
    public void SerializeChunkedOnly() => _case.SerializeChunkedToNullStream();

    [Benchmark(Description = "(a) File.WriteAllText(Serialize(x)), not atomic")]
    [BenchmarkCategory("1-Durable")]
    public void NotAtomic_WriteAllText() => _case.WriteAllText(_plainTarget);

    // ---- Atomic only: baseline = temp + rename without fsync ----

    [Benchmark(Description = "Ours: Save (AtomicOnly)")]
    [BenchmarkCategory("2-AtomicOnly")]
    public void Save_AtomicOnly() => _case.SaveAtomicOnly(_folder);

    [Benchmark(Baseline = true, Description = "(b) Serialize(temp stream) + File.Move, no fsync")]
    [BenchmarkCategory("2-AtomicOnly")]
    public void TempRename_NoFsync() => _case.TempRename(_renameTemp, _renameTarget);

    [Benchmark(Description = "(b') File.WriteAllText(temp, Serialize(x)) + File.Move")]
    [BenchmarkCategory("2-AtomicOnly")]
    public void TempRename_String() => _case.TempRenameString(_renameTemp, _renameTarget);
}
