using System.Text.Json.Serialization;
using DevRank.AtomicStore;

// The smallest useful run: save a state file durably, read it back, update it under the lock.
string dataDir = args is ["--data", string dir, ..] ? dir : Path.Combine(Environment.CurrentDirectory, "devrank-data");
Directory.CreateDirectory(dataDir);

var store = JsonFileStore.Create<Threshold>("threshold.json", SampleJson.Default);
Threshold saved = store.Update(dataDir, t => t with { Tc = t.Tc + 1 }, () => new Threshold(0));
Threshold loaded = store.Load(dataDir);
Console.WriteLine($"threshold.json in {dataDir}: tc = {loaded.Tc} (saved {saved.Tc}, durable)");
return loaded == saved ? 0 : 1;

internal sealed record Threshold([property: JsonPropertyName("tc")] int Tc);

[JsonSerializable(typeof(Threshold))]
internal sealed partial class SampleJson : JsonSerializerContext;
