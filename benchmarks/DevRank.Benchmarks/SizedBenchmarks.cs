using BenchmarkDotNet.Attributes;

namespace DevRank.Benchmarks;

/// <summary>
/// What the per-size benchmark classes share: a <see cref="Size"/> parameter over every payload size, the payload of
/// that size, and a fresh folder on the real disk that is removed (and synced) afterwards.
/// </summary>
public abstract class SizedBenchmarks
{
    [ParamsSource(nameof(AllSizes))]
    public Size Size { get; set; }

    public static IEnumerable<Size> AllSizes => Case.Sizes(Enum.GetValues<Size>());

    /// <summary>The payload of <see cref="Size"/>; set by <see cref="CreateCaseAndFolder"/>.</summary>
    protected Case Payload { get; private set; } = null!;

    /// <summary>The benchmark's folder; set by <see cref="CreateCaseAndFolder"/>.</summary>
    protected string Folder { get; private set; } = null!;

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(Folder);

    /// <summary>The first step of every derived class's global setup.</summary>
    protected void CreateCaseAndFolder()
    {
        Payload = Case.Create(Size);
        Folder = Case.NewFolder();
    }
}
