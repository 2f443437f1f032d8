using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>
/// Row 1: a durable save against the floor and the usual alternatives, with the floor's and our save's halves timed
/// alone. Every file lives in one folder on the real disk. Row 2 (atomic only) is <see cref="AtomicOnlySaveBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class SaveBenchmarks
{
    private Case _case = null!;
    private string _folder = null!;
    private string _floorTarget = null!, _floorTemp = null!, _plainTarget = null!, _bytesTarget = null!;

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
        _bytesTarget = Path.Combine(_folder, "bytes-" + _case.FileName);

        // Every target exists before the first measured write, as it does for a store in use.
        _case.Save(_folder);
        _case.CheckSavedBytes(_folder);
        Floor();
        AtomicFile_ProtocolOnly();
        NotAtomic_WriteAllText();
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
}
