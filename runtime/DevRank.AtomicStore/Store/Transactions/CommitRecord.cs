using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DevRank.AtomicStore;

/// <summary>
/// The intent record of one multi-store commit: which temp becomes which store file. Written whole (to a temp name,
/// flushed, then renamed into place), so the journal's name only ever holds a complete record; a record that does
/// not check out is therefore damage, never a torn write, and is refused rather than guessed at.
/// </summary>
/// <remarks>
/// The bytes: one line of JSON, then <c>sha256:</c> and the SHA-256 of that line's bytes in lowercase hex, then a
/// newline. Targets are relative to the transaction's folder with <c>/</c> between segments; temps are bare file names
/// in their target's own folder, of the form a transaction makes (<see cref="TempFiles.TransactionSuffix"/>).
/// </remarks>
internal sealed class CommitRecord
{
    /// <summary>The largest record read; a commit of thousands of stores fits many times over.</summary>
    public const int MaxBytes = 1 << 20;

    private const string Kind = "DevRank.AtomicStore commit journal";
    private const int Version = 1;
    private const string ChecksumPrefix = "\nsha256:";
    private const int TrailerLength = 8 + 64 + 1; // "\nsha256:" + 64 hex digits + "\n"

    public CommitRecord(string id, IReadOnlyList<CommitEntry> entries)
    {
        Id = id;
        Entries = entries;
    }

    /// <summary>The commit's identity (16 hex digits), for reports.</summary>
    public string Id { get; }

    /// <summary>Temp → target, in the order they are renamed.</summary>
    public IReadOnlyList<CommitEntry> Entries { get; }

    public byte[] Encode()
    {
        var body = new ArrayBufferWriter<byte>(256 + (Entries.Count * 128));
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("kind", Kind);
            json.WriteNumber("version", Version);
            json.WriteString("id", Id);
            json.WriteStartArray("entries");
            foreach (CommitEntry entry in Entries)
            {
                json.WriteStartObject();
                json.WriteString("target", entry.Target);
                json.WriteString("temp", entry.Temp);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        byte[] trailer = Encoding.ASCII.GetBytes(ChecksumPrefix + Hex(SHA256.HashData(body.WrittenSpan)) + "\n");
        return [.. body.WrittenSpan, .. trailer];
    }

    /// <summary>The record in <paramref name="bytes"/>, or null and what is wrong with it.</summary>
    public static CommitRecord? Decode(ReadOnlySpan<byte> bytes, out string problem)
    {
        problem = "";
        if (bytes.Length <= TrailerLength || bytes[^1] != (byte)'\n')
        {
            problem = $"it is {bytes.Length} bytes long and does not end with its checksum line";
            return null;
        }

        ReadOnlySpan<byte> body = bytes[..^TrailerLength];
        ReadOnlySpan<byte> trailer = bytes[^TrailerLength..^1];
        string expected = ChecksumPrefix + Hex(SHA256.HashData(body));
        if (!trailer.SequenceEqual(Encoding.ASCII.GetBytes(expected)))
        {
            problem = "its checksum does not match its content";
            return null;
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body.ToArray());
            return Read(document.RootElement, out problem);
        }
        catch (JsonException ex)
        {
            problem = $"its content is not the JSON a commit writes ({ex.Message})";
            return null;
        }
    }

    // Convert.ToHexStringLower is .NET 9 and later; this assembly also targets .NET 8.
    private static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();

    private static CommitRecord? Read(JsonElement root, out string problem)
    {
        problem = "";
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("kind", out JsonElement kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != Kind
            || !root.TryGetProperty("version", out JsonElement version) || version.ValueKind != JsonValueKind.Number)
        {
            problem = "it is not a commit journal of this library";
            return null;
        }

        if (!version.TryGetInt32(out int v) || v != Version)
        {
            // A newer library's record: never guess at what it means.
            problem = $"it is version {version.GetRawText()} of the format, and this library reads version {Version}";
            return null;
        }

        if (!root.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: 16 } idText || !TempFiles.IsLowerHex(idText)
            || !root.TryGetProperty("entries", out JsonElement entries) || entries.ValueKind != JsonValueKind.Array || entries.GetArrayLength() == 0)
        {
            problem = "its id or its list of entries is missing or malformed";
            return null;
        }

        var list = new List<CommitEntry>(entries.GetArrayLength());
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonElement entry in entries.EnumerateArray())
        {
            if (entry.ValueKind != JsonValueKind.Object
                || !entry.TryGetProperty("target", out JsonElement target) || target.ValueKind != JsonValueKind.String
                || !entry.TryGetProperty("temp", out JsonElement temp) || temp.ValueKind != JsonValueKind.String)
            {
                problem = "an entry lacks its target or its temp";
                return null;
            }

            var parsed = new CommitEntry(target.GetString()!, temp.GetString()!);
            if (parsed.Problem() is { } wrong)
            {
                problem = wrong;
                return null;
            }

            if (!targets.Add(parsed.Target))
            {
                problem = $"it names the target '{parsed.Target}' twice";
                return null;
            }

            list.Add(parsed);
        }

        return new CommitRecord(idText, list);
    }
}

/// <summary>One rename of a commit: the temp (a file name in the target's folder) that becomes the target.</summary>
/// <param name="Target">The store file, relative to the transaction's folder, <c>/</c> between segments.</param>
/// <param name="Temp">The temp's file name.</param>
internal readonly record struct CommitEntry(string Target, string Temp)
{
    /// <summary>
    /// Why this entry may not be acted on, or null. A journal names only files inside its folder: a target is a
    /// relative path without empty, <c>.</c> or <c>..</c> segments, and a temp is a transaction temp of that very target,
    /// so that no record, however it was made, can rename anything onto a path outside the folder or onto a store
    /// from a file that is not one of its transaction temps.
    /// </summary>
    public string? Problem()
    {
        if (Target.Length == 0 || Target.Contains('\\', StringComparison.Ordinal) || Target.Contains('\0', StringComparison.Ordinal)
            || Target.StartsWith('/') || Path.IsPathRooted(Target)
            || Target.Split('/').Any(static segment => segment is "" or "." or ".."))
        {
            return $"it names the target '{Target}', which is not a path inside its folder";
        }

        string name = Target[(Target.LastIndexOf('/') + 1)..];
        if (Temp.Contains('/', StringComparison.Ordinal) || Temp.Contains('\\', StringComparison.Ordinal)
            || !TempFiles.IsTempOf(Temp, name, TempFiles.TransactionSuffix))
        {
            return $"it names '{Temp}' as the temp of '{Target}', which is not a transaction temp of that file";
        }

        return null;
    }
}
