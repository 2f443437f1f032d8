using BenchmarkDotNet.Attributes;

namespace DevRank.Benchmarks;

/// <summary>
/// Row 5: 64 tasks call <c>SaveAsync</c> on one store at once; the time until every one has returned, against one
/// durable save (the target) and against 64 saves in sequence (what a writer that serialises every save pays).
/// </summary>
[MemoryDiagnoser]
public class ConcurrencyBenchmarks
{
    private const int Callers = 64;
    private readonly Task[] _tasks = new Task[Callers];
    private Case _case = null!;
    private string _folder = null!;

    [ParamsSource(nameof(AllSizes))]
    public Size Size { get; set; }

    public static IEnumerable<Size> AllSizes => Case.Sizes(Size.S2_64KB, Size.S3_2MB);

    [GlobalSetup]
    public void Setup()
    {
        _case = Case.Create(Size);
        _folder = Case.NewFolder();
        _case.Save(_folder);
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Baseline = true, Description = "One durable SaveAsync")]
    public Task One() => _case.SaveAsync(_folder);

    [Benchmark(Description = "64 concurrent SaveAsync (group commit), until all returned")]
    public Task Concurrent64()
    {
        for (int i = 0; i < Callers; i++)
        {
            _tasks[i] = Task.Run(() => _case.SaveAsync(_folder));
        }

        return Task.WhenAll(_tasks);
    }

    [Benchmark(Description = "64 SaveAsync in sequence (every write serialised)")]
    public async Task Sequential64()
    {
        for (int i = 0; i < Callers; i++)
        {
            await _case.SaveAsync(_folder);
        }
    }
}
