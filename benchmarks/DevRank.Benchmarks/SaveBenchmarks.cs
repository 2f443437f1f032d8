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
public class SaveBenchmarks : SizedBenchmarks
{
    private string _floorTarget = null!, _floorTemp = null!, _plainTarget = null!, _bytesTarget = null!;

    [GlobalSetup]
    public void Setup()
    {
        CreateCaseAndFolder();
        _floorTarget = Path.Combine(Folder, "floor-" + Payload.FileName);
        _floorTemp = Path.Combine(Folder, ".floor-" + Payload.FileName + ".tmp");
        _plainTarget = Path.Combine(Folder, "plain-" + Payload.FileName);
        _bytesTarget = Path.Combine(Folder, "bytes-" + Payload.FileName);

        // Every target exists before the first measured write, as it does for a store in use.
        Payload.Save(Folder);
        Payload.CheckSavedBytes(Folder);
        Floor();
        AtomicFile_ProtocolOnly();
        NotAtomic_WriteAllText();
    }

    // ---- Durable: baseline = the floor (serialise to bytes + bare protocol) ----

    [Benchmark(Description = "Ours: Save (durable)")]
    [BenchmarkCategory("1-Durable")]
    public void Save_Durable() => Payload.Save(Folder);

    [Benchmark(Baseline = true, Description = "(c) Floor: SerializeToUtf8Bytes + bare protocol")]
    [BenchmarkCategory("1-Durable")]
    public void Floor() => BareProtocol.Write(_floorTemp, _floorTarget, Folder, Payload.SerializeToBytes());

    [Benchmark(Description = "(c) Bare protocol only, pre-serialised bytes")]
    [BenchmarkCategory("1-Durable")]
    public void Floor_ProtocolOnly() => BareProtocol.Write(_floorTemp, _floorTarget, Folder, Payload.Bytes);

    // Splits our overhead in two: the protocol layer (AtomicFile on the same bytes) vs the store and serializer on top.
    [Benchmark(Description = "Ours: AtomicFile.WriteAllBytes, pre-serialised bytes")]
    [BenchmarkCategory("1-Durable")]
    public void AtomicFile_ProtocolOnly() => AtomicFile.WriteAllBytes(_bytesTarget, Payload.Bytes);

    [Benchmark(Description = "(c) SerializeToUtf8Bytes only")]
    [BenchmarkCategory("1-Durable")]
    public byte[] Floor_SerializeOnly() => Payload.SerializeToBytes();

    // The serializer alone, both ways: Serialize(Stream) is what (b) uses, JsonStreaming is what Save uses.
    [Benchmark(Description = "Serialize(Stream.Null) only (Save's serializer for collections of values)")]
    [BenchmarkCategory("1-Durable")]
    public void SerializeToStreamOnly() => Payload.SerializeToNullStream();

    [Benchmark(Description = "JsonStreaming.Serialize(Stream.Null) only (Save's serializer for documents of objects)")]
    [BenchmarkCategory("1-Durable")]
    public void SerializeChunkedOnly() => Payload.SerializeChunkedToNullStream();

    [Benchmark(Description = "(a) File.WriteAllText(Serialize(x)), not atomic")]
    [BenchmarkCategory("1-Durable")]
    public void NotAtomic_WriteAllText() => Payload.WriteAllText(_plainTarget);
}
