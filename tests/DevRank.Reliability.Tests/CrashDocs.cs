using System.Text.Json;

namespace DevRank.Reliability.Tests;

/// <summary>Reads and checks what the save-loop child leaves in crash.json, independently of the library's own loader.</summary>
internal static class CrashDocs
{
    /// <summary>The document's sequence number and whether it checks out; (-1, false) when it does not even parse.</summary>
    public static (long Seq, bool Whole) TryRead(string path)
    {
        try
        {
            return Read(path);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return (-1, false);
        }
    }

    public static (long Seq, bool Whole) Read(string path)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
        JsonElement root = doc.RootElement;
        long seq = root.GetProperty("Seq").GetInt64();
        int length = root.GetProperty("Length").GetInt32();
        uint checksum = root.GetProperty("Checksum").GetUInt32();
        string payload = root.GetProperty("Payload").GetString()!;
        return (seq, payload.Length == length && Fnv(payload) == checksum);
    }

    public static long LastAcked(IEnumerable<string> lines) =>
        lines.Where(l => l.StartsWith("acked ", StringComparison.Ordinal)).Select(l => long.Parse(l["acked ".Length..])).DefaultIfEmpty(-1).Max();

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
