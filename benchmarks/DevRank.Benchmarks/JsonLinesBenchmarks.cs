using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>One JSON Lines record of about 1 KB (one line: 1,024 bytes with its newline).</summary>
public sealed record LogRecord(string Login, int N, string Payload);

/// <summary>
/// The same line read as its number alone, by a converter that skips the strings: nothing per line is allocated, so
/// what a read of it allocates is the reader's own. (With the serializer's default object converter a struct is boxed
/// once per record, 24 bytes a line, and a parameterized constructor adds its argument state: measured, and not the
/// reader's.)
/// </summary>
[JsonConverter(typeof(LogRecordNumberConverter))]
public struct LogRecordNumber
{
    public int N { get; set; }
}

/// <summary>Reads <c>N</c> from a record object and skips every other property.</summary>
public sealed class LogRecordNumberConverter : JsonConverter<LogRecordNumber>
{
    public override LogRecordNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var result = default(LogRecordNumber);
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a record is an object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            bool isN = reader.ValueTextEquals("N"u8);
            reader.Read();
            if (isN)
            {
                result.N = reader.GetInt32();
            }
            else
            {
                reader.Skip();
            }
        }

        return result;
    }

    public override void Write(Utf8JsonWriter writer, LogRecordNumber value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("N"u8, value.N);
        writer.WriteEndObject();
    }
}

[JsonSerializable(typeof(List<LogRecord>))]
[JsonSerializable(typeof(List<LogRecordNumber>))]
[JsonSerializable(typeof(LogRecord))]
internal sealed partial class JsonLinesBenchJson : JsonSerializerContext
{
}

/// <summary>The stores and records the JSON Lines benchmarks share.</summary>
internal static class JsonLinesBench
{
    public const int LineBytes = 1024;

    public static readonly JsonLinesFileStore<List<LogRecord>, LogRecord> Log =
        JsonLinesFileStore.Create<List<LogRecord>, LogRecord>("log.jsonl", JsonLinesBenchJson.Default);

    /// <summary>A record whose line is exactly <see cref="LineBytes"/> bytes, newline included.</summary>
    public static LogRecord Record(int n)
    {
        string login = "user" + n.ToString("D8", System.Globalization.CultureInfo.InvariantCulture);
        // {"Login":"user00000000","N":12345678,"Payload":"…"}\n: pad N's digits so every line has the same length.
        int fixedPart = $$"""{"Login":"{{login}}","N":{{n}},"Payload":""}""".Length + 1;
        return new LogRecord(login, n, new string('x', LineBytes - fixedPart));
    }

    /// <summary>Writes a store of <paramref name="megabytes"/> MB of 1 KB records in <paramref name="folder"/> (a save: one durable rewrite).</summary>
    public static List<LogRecord> Fill(string folder, int megabytes)
    {
        List<LogRecord> records = [.. Enumerable.Range(0, megabytes * 1024).Select(Record)];
        Log.Save(folder, records);
        long length = new FileInfo(Log.GetPath(folder)).Length;
        if (length != (long)megabytes * 1024 * LineBytes)
        {
            throw new InvalidOperationException($"expected {megabytes} MiB of {LineBytes}-byte lines, wrote {length} bytes");
        }

        return records;
    }
}

/// <summary>
/// Appending one 1 KB record to a 40 MB JSON Lines store, against a durable save of the same record as its own small
/// file (the target: the append costs at most 1.5 times that), and against what a JSON store does today to add a
/// record: rewrite all 40 MB with it. The appends grow the file by 1 KB each, a few MB over a run.
/// </summary>
[MemoryDiagnoser]
public class JsonLinesAppendBenchmarks
{
    private static readonly JsonFileStore<LogRecord> Single = JsonFileStore.Create<LogRecord>("one.json", JsonLinesBenchJson.Default);
    private string _folder = null!;
    private List<LogRecord> _records = null!;
    private LogRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Case.NewFolder();
        _records = JsonLinesBench.Fill(_folder, 40);
        _record = JsonLinesBench.Record(99_999_999);
        Single.Save(_folder, _record);
        BareProtocol.Sync(); // the 40 MB just written is not charged to the first measured fsyncs
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Baseline = true, Description = "Durable Save of one 1 KB record as its own file")]
    public void SaveOwnFile() => Single.Save(_folder, _record);

    [Benchmark(Description = "Append one 1 KB record to the 40 MB JSON Lines store")]
    public void Append() => JsonLinesBench.Log.Append(_folder, _record);

    [Benchmark(Description = "Today: rewrite the 40 MB store with the record added (durable Save)")]
    public void Rewrite()
    {
        _records.Add(_record);
        JsonLinesBench.Log.Save(_folder, _records);
        _records.RemoveAt(_records.Count - 1);
    }
}

/// <summary>
/// 64 tasks call <c>AppendAsync</c> on one store at once; the time until every one has returned, against one
/// <c>AppendAsync</c> (the target: at most 4 times that). The group commit writes them in a few groups, each with
/// one fsync.
/// </summary>
[MemoryDiagnoser]
public class JsonLinesConcurrencyBenchmarks
{
    private const int Callers = 64;
    private readonly Task[] _tasks = new Task[Callers];
    private string _folder = null!;
    private LogRecord _record = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Case.NewFolder();
        _record = JsonLinesBench.Record(1);
        JsonLinesBench.Log.Append(_folder, _record);
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Baseline = true, Description = "One AppendAsync (1 KB)")]
    public Task One() => JsonLinesBench.Log.AppendAsync(_folder, _record);

    [Benchmark(Description = "64 concurrent AppendAsync (group commit), until all returned")]
    public Task Concurrent64()
    {
        for (int i = 0; i < Callers; i++)
        {
            _tasks[i] = Task.Run(() => JsonLinesBench.Log.AppendAsync(_folder, _record));
        }

        return Task.WhenAll(_tasks);
    }
}

/// <summary>
/// Streaming every record of a 4 MB and a 40 MB store (1 KB lines): read as whole records (each record's strings are
/// the caller's, so they grow with the file), and read as their number alone (nothing per line to keep: what the
/// reader itself allocates, which must not grow with the file).
/// </summary>
[MemoryDiagnoser]
public class JsonLinesReadBenchmarks
{
    private static readonly JsonLinesFileStore<List<LogRecordNumber>, LogRecordNumber> Numbers =
        JsonLinesFileStore.Create<List<LogRecordNumber>, LogRecordNumber>("log.jsonl", JsonLinesBenchJson.Default);

    private string _folder = null!;

    [Params(4, 40)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Case.NewFolder();
        JsonLinesBench.Fill(_folder, Megabytes);
    }

    [GlobalCleanup]
    public void Cleanup() => Case.DeleteFolder(_folder);

    [Benchmark(Baseline = true, Description = "Read: stream every record (1 KB objects)")]
    public long ReadRecords()
    {
        long sum = 0;
        foreach (LogRecord record in JsonLinesBench.Log.Read(_folder))
        {
            sum += record.N;
        }

        return sum;
    }

    [Benchmark(Description = "Read: stream every line as its number (no per-line object)")]
    public long ReadNumbers()
    {
        long sum = 0;
        foreach (LogRecordNumber record in Numbers.Read(_folder))
        {
            sum += record.N;
        }

        return sum;
    }
}
