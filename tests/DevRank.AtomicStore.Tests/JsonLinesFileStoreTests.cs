using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.AtomicStore.Tests;

public sealed record Visit(string Login, int N);

/// <summary>The shape the generator gives a JSON Lines store: a collection type named for what it holds.</summary>
public sealed class Visited : List<string>;

[JsonSerializable(typeof(Visited))]
internal sealed partial class VisitedJson : JsonSerializerContext;

[JsonSerializable(typeof(List<int>))]
internal sealed partial class NumbersJson : JsonSerializerContext;

/// <summary>A record whose converter writes raw JSON with a line break: valid JSON, but two lines of a JSON Lines file.</summary>
[JsonConverter(typeof(MultiLineConverter))]
public sealed record MultiLine(int N);

public sealed class MultiLineConverter : JsonConverter<MultiLine>
{
    public override MultiLine Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

    public override void Write(Utf8JsonWriter writer, MultiLine value, JsonSerializerOptions options) =>
        writer.WriteRawValue("{\n\"N\": " + value.N + "}");
}

/// <summary>
/// JSON Lines stores in one process, on the real file system: the format, appends, the torn tail, typed errors with
/// line numbers, streaming in bounded memory, and appends from many threads.
/// </summary>
public sealed class JsonLinesFileStoreTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private const string A = """{"Login":"a","N":1}""";
    private const string B = """{"Login":"b","N":2}""";
    private const string C = """{"Login":"c","N":3}""";
    private readonly TempFolder _dir = new();
    private readonly JsonLinesFileStore<List<Visit>, Visit> _store = JsonLinesFileStore.CreateWithReflection<List<Visit>, Visit>("visits.jsonl");
    private readonly List<JsonLinesTail> _tails = [];

    public JsonLinesFileStoreTests(ITestOutputHelper output)
    {
        _output = output;
        _store.TornTail += (_, tail) => _tails.Add(tail);
    }

    public void Dispose() => _dir.Dispose();

    private string FilePath => _store.GetPath(_dir.Path);

    private string Text => File.ReadAllText(FilePath);

    private void Write(string content) => File.WriteAllBytes(FilePath, Encoding.UTF8.GetBytes(content));

    [Fact]
    public async Task Save_writes_one_line_per_record_and_every_read_gives_them_back()
    {
        List<Visit> visits = [new("a", 1), new("b", 2)];

        _store.Save(_dir.Path, visits);

        Assert.Equal($"{A}\n{B}\n", Text);
        Assert.Equal(visits, _store.Load(_dir.Path));
        Assert.Equal(visits, await _store.LoadAsync(_dir.Path));
        Assert.Equal(visits, _store.Read(_dir.Path).ToList());
        Assert.Equal(visits, await _store.ReadAsync(_dir.Path).ToListAsync());
        Assert.Empty(_dir.Temps());
        Assert.Empty(_tails);
    }

    [Fact]
    public void An_empty_collection_is_an_empty_file_and_an_empty_file_no_records()
    {
        _store.Save(_dir.Path, []);

        Assert.Equal(0, new FileInfo(FilePath).Length);
        Assert.Empty(_store.Load(_dir.Path));
    }

    [Fact]
    public async Task A_missing_file_is_StoreNotFound_for_Load_and_Read_and_false_for_TryLoad()
    {
        Assert.Throws<StoreNotFoundException>(() => _store.Load(_dir.Path));
        Assert.False(_store.TryLoad(_dir.Path, out _));
        IEnumerable<Visit> records = _store.Read(_dir.Path);
        Assert.Throws<StoreNotFoundException>(() => records.ToList());
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await _store.ReadAsync(_dir.Path).ToListAsync());
        Assert.Null(_store.FindTornTail(_dir.Path));
        Assert.False(File.Exists(FilePath));
    }

    [SkippableFact]
    public async Task Append_creates_the_file_and_its_sub_folders_with_the_mode_a_first_save_gives()
    {
        var nested = JsonLinesFileStore.CreateWithReflection<List<Visit>, Visit>("logs/2026/visits.jsonl");

        nested.Append(_dir.Path, new Visit("a", 1));
        await nested.AppendAsync(_dir.Path, new Visit("b", 2));

        Assert.Equal($"{A}\n{B}\n", File.ReadAllText(nested.GetPath(_dir.Path)));
        Assert.Equal([new("a", 1), new("b", 2)], nested.Load(_dir.Path));
        Skip.If(OperatingSystem.IsWindows(), "Unix modes");
        var saved = JsonLinesFileStore.CreateWithReflection<List<Visit>, Visit>("logs/2026/saved.jsonl");
        saved.Save(_dir.Path, []);
        Assert.Equal(File.GetUnixFileMode(saved.GetPath(_dir.Path)), File.GetUnixFileMode(nested.GetPath(_dir.Path)));
    }

    [Fact]
    public void Append_of_several_records_writes_them_in_order_and_of_none_writes_nothing()
    {
        _store.Append(_dir.Path, [new Visit("a", 1), new Visit("b", 2)]);
        _store.Append(_dir.Path, []);
        _store.Append(_dir.Path, [new Visit("c", 3)]);

        Assert.Equal($"{A}\n{B}\n{C}\n", Text);
    }

    [Fact]
    public void Append_to_a_file_whose_last_record_has_no_newline_writes_the_newline_first()
    {
        // DevIndex's users.jsonl ends so: the last line is a whole record.
        Write($"{A}\n{B}");

        Assert.Equal([new("a", 1), new("b", 2)], _store.Load(_dir.Path));
        _store.Append(_dir.Path, new Visit("c", 3));

        Assert.Equal($"{A}\n{B}\n{C}\n", Text);
        Assert.Empty(_tails);
    }

    [Fact]
    public void Without_a_final_newline_a_file_saves_back_byte_for_byte_and_appends_put_the_newline_before_the_record()
    {
        var store = JsonLinesFileStore.CreateWithReflection<List<Visit>, Visit>("visits.jsonl", finalNewline: false);
        byte[] original = Encoding.UTF8.GetBytes($"{A}\n{B}");
        File.WriteAllBytes(FilePath, original);

        store.Save(_dir.Path, store.Load(_dir.Path));
        Assert.Equal(original, File.ReadAllBytes(FilePath));

        store.Append(_dir.Path, new Visit("c", 3));
        Assert.Equal($"{A}\n{B}\n{C}", Text);
        Assert.Equal(3, store.Load(_dir.Path).Count);

        File.Delete(FilePath);
        store.Append(_dir.Path, [new Visit("a", 1), new Visit("b", 2)]);
        Assert.Equal($"{A}\n{B}", Text);
        Assert.False(store.FinalNewline);
    }

    [Fact]
    public async Task A_torn_tail_is_reported_and_skipped_by_every_read_and_left_in_the_file()
    {
        string whole = $"{A}\n{B}\n";
        string torn = """{"Login":"c","N""";
        Write(whole + torn);
        byte[] before = File.ReadAllBytes(FilePath);

        Assert.Equal([new("a", 1), new("b", 2)], _store.Load(_dir.Path));
        Assert.Equal([new("a", 1), new("b", 2)], await _store.LoadAsync(_dir.Path));
        Assert.Equal(2, _store.Read(_dir.Path).Count());
        Assert.Equal(2, (await _store.ReadAsync(_dir.Path).ToListAsync()).Count);

        Assert.Equal(4, _tails.Count);
        Assert.All(_tails, tail =>
        {
            Assert.Equal(FilePath, tail.FilePath);
            Assert.Equal(whole.Length, tail.Offset);
            Assert.Equal(torn.Length, tail.Length);
            Assert.False(tail.Truncated);
        });
        JsonLinesTail found = Assert.IsType<JsonLinesTail>(_store.FindTornTail(_dir.Path));
        Assert.Equal((whole.Length, torn.Length, false), (found.Offset, found.Length, found.Truncated));
        Assert.Equal(before, File.ReadAllBytes(FilePath));
    }

    [Fact]
    public void The_next_append_cuts_a_torn_tail_off_before_it_writes_and_says_so()
    {
        string whole = $"{A}\n{B}\n";
        string torn = """{"Login":"c","N":3""";
        Write(whole + torn);

        _store.Append(_dir.Path, new Visit("d", 4));

        Assert.Equal(whole + """{"Login":"d","N":4}""" + "\n", Text);
        JsonLinesTail cut = Assert.Single(_tails);
        Assert.Equal((whole.Length, torn.Length, true), (cut.Offset, cut.Length, cut.Truncated));
        Assert.Null(_store.FindTornTail(_dir.Path));
    }

    [Fact]
    public void A_torn_tail_that_is_the_whole_file_is_cut_to_nothing_and_so_is_NUL_garbage()
    {
        Write("""{"Lo""");
        Assert.Empty(_store.Load(_dir.Path));
        _store.Append(_dir.Path, new Visit("a", 1));
        Assert.Equal($"{A}\n", Text);

        // What some file systems leave after a power cut in the middle of an append: the new length, not the bytes.
        File.AppendAllText(FilePath, "\0\0\0\0");
        Assert.Single(_store.Load(_dir.Path));
        _store.Append(_dir.Path, new Visit("b", 2));
        Assert.Equal($"{A}\n{B}\n", Text);
        Assert.Equal(
            [(0L, 4L, false), (0L, 4L, true), (A.Length + 1L, 4L, false), (A.Length + 1L, 4L, true)],
            _tails.Select(t => (t.Offset, t.Length, t.Truncated)));
    }

    [Fact]
    public void A_save_or_an_update_replaces_a_torn_tail_with_the_rest_of_the_file()
    {
        Write($"{A}\n{B}\n" + """{"Login""");

        _store.Update(_dir.Path, visits => [.. visits, new Visit("c", 3)]);

        Assert.Equal($"{A}\n{B}\n{C}\n", Text);
        Assert.False(Assert.Single(_tails).Truncated);
    }

    [Fact]
    public void A_bad_line_in_the_middle_is_corrupt_with_its_line_number_and_the_file_is_untouched()
    {
        Write($"{A}\n{{\"Login\":\"b\",\"N\":x}}\n{C}\n");
        byte[] before = File.ReadAllBytes(FilePath);

        var load = Assert.Throws<StoreCorruptException>(() => _store.Load(_dir.Path));
        Assert.Equal(1, load.LineNumber);
        Assert.Contains("(line 2, byte ", load.Message, StringComparison.Ordinal);
        Assert.Equal(FilePath, load.FilePath);

        // A stream gives the records before the bad line, then stops with the same error.
        using IEnumerator<Visit> records = _store.Read(_dir.Path).GetEnumerator();
        Assert.True(records.MoveNext());
        Assert.Equal(new Visit("a", 1), records.Current);
        Assert.Equal(1, Assert.Throws<StoreCorruptException>(() => records.MoveNext()).LineNumber);

        Assert.Throws<StoreCorruptException>(() => _store.Update(_dir.Path, v => v));
        Assert.Equal(before, File.ReadAllBytes(FilePath));
        Assert.Empty(_tails);
    }

    [Theory]
    [InlineData("{\"Login\":\"c\",\"N\"\n", "Expected")] // a torn record that IS terminated: not a torn tail
    [InlineData("\"just a string\"", "could not be converted")] // whole JSON without '\n', but not a Visit: never dropped
    [InlineData("null\n", "JSON null")]
    [InlineData("{\"Login\":\"c\",\"N\":3}}", "")] // trailing data after the value: not one whole value, so torn
    public void A_bad_last_line_is_corrupt_unless_it_is_unterminated_and_not_one_whole_value(string last, string problem)
    {
        Write($"{A}\n{B}\n{last}");

        if (problem.Length == 0)
        {
            Assert.Equal(2, _store.Load(_dir.Path).Count);
            Assert.Single(_tails);
            return;
        }

        var error = Assert.Throws<StoreCorruptException>(() => _store.Load(_dir.Path));
        Assert.Equal(2, error.LineNumber);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Empty(_tails);
        byte[] before = File.ReadAllBytes(FilePath);
        if (last.EndsWith('\n'))
        {
            // Terminated: an append writes after it, and the bad line stays for the reader to report.
            _store.Append(_dir.Path, new Visit("d", 4));
            Assert.Equal(before.Length + """{"Login":"d","N":4}""".Length + 1, new FileInfo(FilePath).Length);
        }
    }

    [Fact]
    public void A_line_that_is_not_UTF8_is_corrupt_with_its_line_and_byte()
    {
        File.WriteAllBytes(FilePath, [.. Encoding.UTF8.GetBytes($"{A}\n{{\"Login\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\",\"N\":2}\n")]);

        var error = Assert.Throws<StoreCorruptException>(() => _store.Load(_dir.Path));

        Assert.Equal(1, error.LineNumber);
        Assert.Equal(10, error.BytePositionInLine);
        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_CRLF_endings_and_a_byte_order_mark_from_other_tools_are_read()
    {
        File.WriteAllBytes(FilePath, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes($"{A}\r\n\r\n  \n{B}\r\n\n")]);

        Assert.Equal([new("a", 1), new("b", 2)], _store.Load(_dir.Path));
        Assert.Empty(_tails);
        Assert.Null(_store.FindTornTail(_dir.Path));
    }

    [Fact]
    public void A_record_is_one_line_even_when_the_serializer_options_say_WriteIndented()
    {
        var options = new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        var store = new JsonLinesFileStore<List<Visit>, Visit>("visits.jsonl", (JsonTypeInfo<Visit>)options.GetTypeInfo(typeof(Visit)));

        store.Save(_dir.Path, [new Visit("a", 1)]);
        store.Append(_dir.Path, new Visit("b", 2));

        Assert.Equal($"{A}\n{B}\n", Text);
    }

    [Fact]
    public void Create_takes_the_record_metadata_from_a_context_that_lists_only_the_collection()
    {
        JsonLinesFileStore<Visited, string> store = JsonLinesFileStore.Create<Visited, string>("visited.jsonl", VisitedJson.Default);
        Assert.Same(VisitedJson.Default.String, store.ItemTypeInfo);

        store.Append(_dir.Path, "octocat");
        store.Append(_dir.Path, ["a\nb", "é"]);

        Assert.Equal("\"octocat\"\n\"a\\nb\"\n\"\\u00E9\"\n", File.ReadAllText(store.GetPath(_dir.Path)));
        Assert.Equal(["octocat", "a\nb", "é"], store.Load(_dir.Path));

        var error = Assert.Throws<InvalidOperationException>(() => JsonLinesFileStore.Create<List<string>, string>("x.jsonl", NumbersJson.Default));
        Assert.Contains("[JsonSerializable(typeof(String))]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_records_and_records_that_would_be_two_lines_are_refused_before_anything_is_written()
    {
        _store.Append(_dir.Path, new Visit("a", 1));
        byte[] before = File.ReadAllBytes(FilePath);

        Assert.Equal("item", Assert.Throws<ArgumentNullException>(() => _store.Append(_dir.Path, (Visit)null!)).ParamName);
        Assert.Equal("items", Assert.Throws<ArgumentException>(() => _store.Append(_dir.Path, [new Visit("b", 2), null!])).ParamName);
        Assert.Throws<ArgumentException>(() => _store.Save(_dir.Path, [new Visit("b", 2), null!]));
        var multiLine = JsonLinesFileStore.CreateWithReflection<List<MultiLine>, MultiLine>("visits.jsonl");
        var append = Assert.Throws<StoreConfigurationException>(() => multiLine.Append(_dir.Path, new MultiLine(1)));
        var save = Assert.Throws<StoreConfigurationException>(() => multiLine.Save(_dir.Path, [new MultiLine(1)]));

        Assert.Contains("more than one line", append.Message, StringComparison.Ordinal);
        Assert.Contains("more than one line", save.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(FilePath));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task An_append_inside_an_update_of_the_same_store_fails_at_once_and_a_save_there_is_allowed()
    {
        _store.Append(_dir.Path, new Visit("a", 1));

        Assert.Throws<LockRecursionException>(() => _store.Update(_dir.Path, visits =>
        {
            _store.Append(_dir.Path, new Visit("lost", 0));
            return visits;
        }));
        await Assert.ThrowsAsync<LockRecursionException>(() => _store.UpdateAsync(_dir.Path, async (visits, token) =>
        {
            await _store.AppendAsync(_dir.Path, new Visit("lost", 0), token);
            return visits;
        }));
        _store.Update(_dir.Path, visits =>
        {
            _store.Save(_dir.Path, [new Visit("saved", 9)]);
            return [.. visits, new Visit("b", 2)];
        });

        Assert.Equal($"{A}\n{B}\n", Text);
    }

    [Fact]
    public void A_read_streams_lines_longer_than_its_buffer()
    {
        // 200,000 characters: several 64 KiB reads for one record, which must still come out whole.
        List<Visit> visits = [new("a", 1), new(new string('x', 200_000), 2), new("c", 3)];
        _store.Save(_dir.Path, visits);

        Assert.Equal(visits, _store.Read(_dir.Path).ToList());
        Assert.Equal(visits, _store.Load(_dir.Path));
    }

    [Fact]
    public void Streaming_a_large_file_allocates_what_one_record_needs_not_the_file()
    {
        var numbers = JsonLinesFileStore.CreateWithReflection<List<long>, long>("numbers.jsonl");
        using (var writer = new StreamWriter(numbers.GetPath(_dir.Path)))
        {
            for (long i = 0; i < 2_000_000; i++)
            {
                writer.Write(10_000_000 + i);
                writer.Write('\n');
            }
        }

        long length = new FileInfo(numbers.GetPath(_dir.Path)).Length;
        Assert.Equal(2_000_000 + (2_000_000 * 8L), length);
        _ = numbers.Read(_dir.Path).Take(1).ToList(); // metadata, pools: the first read's one-time costs

        long before = GC.GetAllocatedBytesForCurrentThread();
        long sum = 0;
        long count = 0;
        foreach (long n in numbers.Read(_dir.Path))
        {
            sum += n;
            count++;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        _output.WriteLine($"streaming {length} bytes ({count} records) allocated {allocated} bytes");
        Assert.Equal(2_000_000, count);
        Assert.Equal((2_000_000L * 10_000_000) + (1_999_999L * 2_000_000 / 2), sum);
        // 18 MB of file; a read holds one 64 KiB buffer (pooled) and allocates nothing per line.
        Assert.True(allocated < 256 * 1024, $"streaming {length} bytes allocated {allocated} bytes");
    }

    [Fact]
    public async Task Appends_from_many_threads_are_each_written_once_whole_and_in_each_threads_order()
    {
        const int Threads = 8;
        const int Each = 60;
        using var start = new Barrier(Threads);
        Task[] appenders = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(async () =>
        {
            start.SignalAndWait();
            for (int i = 0; i < Each; i++)
            {
                var visit = new Visit($"t{t}", i);
                if ((t + i) % 3 == 0)
                {
                    await _store.AppendAsync(_dir.Path, visit);
                }
                else if ((t + i) % 3 == 1)
                {
                    _store.Append(_dir.Path, visit);
                }
                else
                {
                    _store.Append(_dir.Path, [visit]);
                }
            }
        }, TaskCreationOptions.LongRunning).Unwrap()).ToArray();
        await Task.WhenAll(appenders).WaitAsync(TimeSpan.FromMinutes(2));

        string[] lines = Text.Split('\n');
        Assert.Equal(string.Empty, lines[^1]);
        List<Visit> visits = _store.Load(_dir.Path);
        Assert.Equal(Threads * Each, visits.Count);
        Assert.Equal(Threads * Each, lines.Length - 1);
        foreach (IGrouping<string, Visit> thread in visits.GroupBy(v => v.Login))
        {
            Assert.Equal(Enumerable.Range(0, Each), thread.Select(v => v.N));
        }
    }
}
