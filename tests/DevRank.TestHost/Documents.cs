using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.TestHost;

/// <summary>A counter that several processes increment under the store's update lock.</summary>
[AtomicStore("counter.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record Counter(int N)
{
    public Counter()
        : this(0)
    {
    }
}

/// <summary>
/// A self-checking document: its sequence number, the payload's length and an FNV-1a checksum of it. A torn or
/// mixed file cannot pass <see cref="IsWhole"/>. Payload sizes run from 1 KB to 4 MB, log-uniform.
/// </summary>
[AtomicStore("crash.json", JsonContext = typeof(HostJson))]
internal sealed partial record CrashDoc(long Seq, int Length, uint Checksum, string Payload)
{
    /// <summary>The same file at the atomic-only level, for the negative controls.</summary>
    public static readonly JsonFileStore<CrashDoc> AtomicOnlyStore = JsonFileStore.Create<CrashDoc>(
        "crash.json", HostJson.Default, new AtomicWriteOptions { Durability = Durability.AtomicOnly });

    public static CrashDoc Make(long seq)
    {
        var random = new Random(unchecked((int)seq * 7919));
        int length = (int)Math.Pow(2, 10 + (random.NextDouble() * 12)); // 1 KiB .. 4 MiB
        string payload = string.Create(length, random.Next(), static (span, seed) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = (char)('a' + ((i * 31 + seed) % 26));
            }
        });
        return new CrashDoc(seq, length, Fnv(payload), payload);
    }

    public bool IsWhole() => Payload.Length == Length && Fnv(Payload) == Checksum;

    private static uint Fnv(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}

/// <summary>A row of the document of objects the write-alignment trace saves.</summary>
internal sealed record Row(int Id, string Name, string? Note);

[JsonSerializable(typeof(Counter))]
[JsonSerializable(typeof(CrashDoc))]
[JsonSerializable(typeof(List<Row>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(LedgerA))]
[JsonSerializable(typeof(LedgerB))]
[JsonSerializable(typeof(LedgerC))]
[JsonSerializable(typeof(LedgerD))]
[JsonSerializable(typeof(TallyA))]
[JsonSerializable(typeof(TallyB))]
[JsonSerializable(typeof(TallyC))]
internal sealed partial class HostJson : JsonSerializerContext;
