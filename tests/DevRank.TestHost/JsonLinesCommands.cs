using System.Globalization;
using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.TestHost;

/// <summary>One record of the JSON Lines store the process-level tests append to: who wrote it, its number, and padding.</summary>
internal sealed record LogLine(string Tag, int N, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Payload = null);

[JsonSerializable(typeof(List<LogLine>))]
internal sealed partial class LogJson : JsonSerializerContext;

/// <summary>The JSON Lines commands: appenders, compactors and bursts that race each other, strace and kill -9.</summary>
internal static class JsonLinesCommands
{
    public static readonly JsonLinesFileStore<List<LogLine>, LogLine> Log =
        JsonLinesFileStore.Create<List<LogLine>, LogLine>("log.jsonl", LogJson.Default, lockTimeout: TimeSpan.FromMinutes(2));

    /// <summary>
    /// Appends <paramref name="count"/> records tagged <paramref name="tag"/>, one call each, and prints "acked N" after
    /// each returns: every acknowledged record is a promise the parent checks after a kill -9. <c>--payload N</c> pads
    /// each record with N characters (a longer write for a kill to land in); <c>--atomic-only</c> appends without fsync.
    /// </summary>
    public static int Append(string folder, string tag, int count, string[] options)
    {
        int at = Array.IndexOf(options, "--payload");
        int padding = at >= 0 ? int.Parse(options[at + 1], CultureInfo.InvariantCulture) : 0;
        string? payload = padding > 0 ? new string('p', padding) : null;
        JsonLinesFileStore<List<LogLine>, LogLine> log = options.Contains("--atomic-only")
            ? JsonLinesFileStore.Create<List<LogLine>, LogLine>("log.jsonl", LogJson.Default, new AtomicWriteOptions { Durability = Durability.AtomicOnly })
            : Log;
        Console.WriteLine("started");
        for (int i = 0; i < count; i++)
        {
            log.Append(folder, new LogLine(tag, i, payload));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {i}"));
        }

        return 0;
    }

    /// <summary>
    /// One append or one compaction between the markers "begin" and "ok" that the syscall-crash suite finds in a trace:
    /// <c>append TAG N</c> appends one record (printing "ok" once it returns is its acknowledgement), <c>compact</c> runs
    /// an update that keeps every record, so a save that replaces the file.
    /// </summary>
    public static int Once(string folder, string[] what)
    {
        Console.WriteLine("begin");
        switch (what)
        {
            case ["append", string tag, string n]:
                Log.Append(folder, new LogLine(tag, int.Parse(n, CultureInfo.InvariantCulture)));
                break;
            case ["compact"]:
                Log.Update(folder, static records => records, static () => []);
                break;
            default:
                throw new ArgumentException("jsonl-once <folder> append <tag> <n> | compact");
        }

        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>
    /// Compacts the log <paramref name="rounds"/> times: an update that keeps every record, so a save that replaces the
    /// file under the lock, while others append. Prints "compacted N records" each round.
    /// </summary>
    public static int Compact(string folder, int rounds)
    {
        Console.WriteLine("started");
        var random = new Random(20260117);
        for (int i = 0; i < rounds; i++)
        {
            List<LogLine> kept = Log.Update(folder, static records => records, static () => []);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"compacted {kept.Count} records"));
            // flock is not fair: without a pause, a loop of updates keeps the lock from a polling appender for seconds.
            Thread.Sleep(random.Next(0, 3));
        }

        return 0;
    }

    /// <summary>
    /// <paramref name="threads"/> threads, each appending <paramref name="each"/> records one call at a time
    /// (<c>--async</c>: with AppendAsync), all at once: the group commit the parent counts fsyncs of. "begin" and "ok"
    /// frame the appends in a trace.
    /// </summary>
    public static int Burst(string folder, int threads, int each, string[] options)
    {
        bool async = options.Contains("--async");
        Log.Append(folder, new LogLine("warm-up", 0)); // creates the file and folder outside the counted part
        using var start = new Barrier(threads);
        Console.WriteLine("begin");
        Task[] tasks = Enumerable.Range(0, threads).Select(t => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (int i = 0; i < each; i++)
            {
                var line = new LogLine(string.Create(CultureInfo.InvariantCulture, $"t{t}"), i);
                if (async)
                {
                    Log.AppendAsync(folder, line).GetAwaiter().GetResult();
                }
                else
                {
                    Log.Append(folder, line);
                }
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        Task.WaitAll(tasks);
        Console.WriteLine("ok");
        return 0;
    }
}
