using BenchmarkDotNet.Attributes;

namespace DevRank.Benchmarks;

/// <summary>Row 3: the generated <c>Load</c> against <c>Deserialize(File.ReadAllBytes(path))</c> with the same type info.</summary>
[MemoryDiagnoser]
public class LoadBenchmarks : SizedBenchmarks
{
    private string _path = null!;

    [GlobalSetup]
    public void Setup()
    {
        CreateCaseAndFolder();
        Payload.Save(Folder);
        _path = Path.Combine(Folder, Payload.FileName);
    }

    [Benchmark(Description = "Ours: Load")]
    public object Load() => Payload.Load(Folder);

    [Benchmark(Baseline = true, Description = "Deserialize(File.ReadAllBytes(path))")]
    public object ReadAllBytes_Deserialize() => Payload.ReadAllBytesDeserialize(_path);
}
