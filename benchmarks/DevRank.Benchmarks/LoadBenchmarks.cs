using BenchmarkDotNet.Attributes;

namespace DevRank.Benchmarks;

/// <summary>Row 3: the generated <c>Load</c> against <c>Deserialize(File.ReadAllBytes(path))</c> with the same type info.</summary>
[MemoryDiagnoser]
public class LoadBenchmarks
{
    private Case _case = null!;
    private string _folder = null!;
    private string _path = null!;

    [ParamsSource(nameof(AllSizes))]
    public Size Size { get; set; }

    public static IEnumerable<Size> AllSizes => Case.Sizes(Enum.GetValues<Size>());

    [GlobalSetup]
    public void Setup()
    {
        _case = Case.Create(Size);
        _folder = Case.NewFolder();
        _case.Save(_folder);
        _path = Path.Combine(_folder, _case.FileName);
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Description = "Ours: Load")]
    public object Load() => _case.Load(_folder);

    [Benchmark(Baseline = true, Description = "Deserialize(File.ReadAllBytes(path))")]
    public object ReadAllBytes_Deserialize() => _case.ReadAllBytesDeserialize(_path);
}
