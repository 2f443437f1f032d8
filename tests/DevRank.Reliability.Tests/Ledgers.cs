using System.Text.Json;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Reads the four ledger stores the transaction suites' child commits together (DevRank.TestHost, tx-commit and
/// tx-loop), independently of the library's loader, and says whether they are one commit's state.
/// </summary>
internal static class Ledgers
{
    public static readonly string[] Files = ["ledger-a.json", "ledger-b.json", "ledger-c.json", "state/ledger-d.json"];

    /// <summary>The four stores' sequence numbers (-1 for a missing file, -2 for one that does not check out).</summary>
    public static long[] Read(string folder) => [.. Files.Select(f => ReadOne(Path.Combine(folder, f)))];

    /// <summary>One commit's state: every store there, whole, with the same sequence number.</summary>
    public static bool IsOneCommit(long[] seqs) => seqs.All(s => s >= 0 && s == seqs[0]);

    public static string Describe(long[] seqs) => string.Join("/", seqs);

    /// <summary>Whether the commit's own leftovers are gone: journal, its new record, and every transaction temp.</summary>
    public static string[] Leftovers(string folder) =>
    [
        .. Directory.GetFiles(folder, "*.txn", SearchOption.AllDirectories),
        .. Directory.GetFiles(folder, ".devrank-commit.journal*", SearchOption.TopDirectoryOnly).Where(f => !f.EndsWith("-lock", StringComparison.Ordinal)),
    ];

    private static long ReadOne(string path)
    {
        if (!File.Exists(path))
        {
            return -1;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            JsonElement root = doc.RootElement;
            long seq = root.GetProperty("Seq").GetInt64();
            int length = root.GetProperty("Length").GetInt32();
            uint checksum = root.GetProperty("Checksum").GetUInt32();
            string payload = root.GetProperty("Payload").GetString()!;
            return payload.Length == length && Fnv(payload) == checksum ? seq : -2;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return -2;
        }
    }

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
