using System.Text.Json;
using BenchmarkDotNet.Attributes;

namespace DevRank.Benchmarks;

/// <summary>Row 4: <c>Tracker.Update</c> (lock + load + change + save) on the 2 MB store against doing it by hand.</summary>
[MemoryDiagnoser]
public class UpdateBenchmarks
{
    private string _folder = null!;
    private string _floorTarget = null!, _floorTemp = null!;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Case.NewFolder();
        Payloads.Tracker().Save(_folder);
        _floorTarget = Path.Combine(_folder, "floor-tracker.json");
        _floorTemp = Path.Combine(_folder, ".floor-tracker.json.tmp");
        File.Copy(Path.Combine(_folder, Tracker.FileName), _floorTarget);
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Description = "Ours: Tracker.Update (lock + load + change + durable save)")]
    public void Update() => Tracker.Update(_folder, t => t["login-000001"] = DateTimeOffset.UnixEpoch.AddSeconds(++_n));

    [Benchmark(Baseline = true, Description = "By hand: Tracker.Load + change + Save, no lock")]
    public void LoadChangeSave()
    {
        Tracker t = Tracker.Load(_folder);
        t["login-000001"] = DateTimeOffset.UnixEpoch.AddSeconds(++_n);
        t.Save(_folder);
    }

    [Benchmark(Description = "Floor: Deserialize(ReadAllBytes) + change + SerializeToUtf8Bytes + bare protocol")]
    public void Floor()
    {
        var info = BenchJson.Default.Tracker;
        Tracker t = JsonSerializer.Deserialize(File.ReadAllBytes(_floorTarget), info)!;
        t["login-000001"] = DateTimeOffset.UnixEpoch.AddSeconds(++_n);
        BareProtocol.Write(_floorTemp, _floorTarget, _folder, JsonSerializer.SerializeToUtf8Bytes(t, info));
    }
}
