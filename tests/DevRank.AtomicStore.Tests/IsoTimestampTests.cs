using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// <see cref="IsoTimestamp"/>: a timestamp read and written back keeps its exact text; a new one is what
/// <c>Date.prototype.toISOString()</c> writes, checked against Node.
/// </summary>
public sealed class IsoTimestampTests
{
    private static readonly JsonSerializerOptions Reflection = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // The default encoder escapes the "+" of an offset: the text is kept, its bytes are not.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static TheoryData<string> KeptTexts() =>
    [
        "2026-02-08T14:51:11.630Z", // toISOString()
        "2026-03-29T09:23:20Z",
        "2026-03-29T09:23:20.000Z",
        "2026-03-29T09:23:20.6Z",
        "2026-03-29T09:23:20.123456789Z",
        "2026-03-29T11:23:20+02:00",
        "2026-03-29T04:23:20.5-05:00",
        "2026-03-29T09:23Z",
        "2026-03-29",
        "0001-01-01T00:00:00.000Z",
        "9999-12-31T23:59:59.999Z",
        "2024-02-29T00:00:00Z",
    ];

    [Theory]
    [MemberData(nameof(KeptTexts))]
    public void A_timestamp_read_and_written_back_keeps_its_exact_text(string text)
    {
        string json = "{\"at\":\"" + text + "\",\"maybe\":\"" + text + "\",\"byTime\":{\"" + text + "\":1}}";
        Assert.Equal(json, JsonSerializer.Serialize(JsonSerializer.Deserialize<Stamped>(json, Reflection), Reflection));
        var stream = new MemoryStream();
        JavaScriptJson.Serialize(stream, JsonSerializer.Deserialize(json, IsoTimestampContext.Default.Stamped)!, IsoTimestampContext.Default.Stamped, indent: 0);
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(text, IsoTimestamp.Parse(text).ToString());
    }

    [Fact]
    public void A_store_keeps_the_texts_of_a_file_it_loads_and_saves_unchanged()
    {
        using var folder = new TempFolder();
        const string file = """{"at":"2026-03-29T09:23:20Z","maybe":null,"byTime":{"2026-02-08T14:51:11.630Z":1,"2026-02-08T15:51:11+01:00":2}}""";
        File.WriteAllText(folder.File("stamped.json"), file);
        JsonFileStore<Stamped> store = JsonFileStore.Create<Stamped>("stamped.json", IsoTimestampContext.Default);
        Stamped loaded = store.Load(folder.Path);
        store.Save(folder.Path, loaded);
        Stamped again = store.Load(folder.Path);
        Assert.Equal("2026-03-29T09:23:20Z", again.At.Text);
        Assert.Equal(["2026-02-08T14:51:11.630Z", "2026-02-08T15:51:11+01:00"], again.ByTime.Keys.Select(k => k.Text));

        // Today's store escapes the "+" (System.Text.Json's default encoder); the JavaScript writer gives the bytes back.
        var stream = new MemoryStream();
        JavaScriptJson.Serialize(stream, again, IsoTimestampContext.Default.Stamped, indent: 0);
        Assert.Equal(file, System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void A_new_value_is_written_as_toISOString_writes_it_to_the_millisecond()
    {
        var instant = new DateTimeOffset(2026, 2, 8, 16, 51, 11, 630, TimeSpan.FromHours(2)).AddTicks(9999);
        IsoTimestamp stamp = instant;
        Assert.Equal("2026-02-08T14:51:11.630Z", stamp.Text);
        Assert.Equal(TimeSpan.Zero, stamp.Value.Offset);
        Assert.Equal(instant.UtcTicks - 9999, stamp.Value.UtcTicks);
        Assert.Equal("""{"at":"2026-02-08T14:51:11.630Z","maybe":null,"byTime":{}}""", JsonSerializer.Serialize(new Stamped(stamp, null, []), Reflection));
        Assert.Equal("2026-02-08T14:51:11.630Z", IsoTimestamp.From(new DateTime(2026, 2, 8, 14, 51, 11, 630, DateTimeKind.Utc)).Text);
        Assert.Equal("0001-01-01T00:00:00.000Z", default(IsoTimestamp).Text);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", IsoTimestamp.Now.Text);
    }

    [Fact]
    public void Timestamps_are_equal_when_they_are_the_same_instant_whatever_their_texts()
    {
        IsoTimestamp a = IsoTimestamp.Parse("2026-03-29T09:23:20Z");
        IsoTimestamp b = IsoTimestamp.Parse("2026-03-29T09:23:20.000Z");
        IsoTimestamp c = IsoTimestamp.Parse("2026-03-29T11:23:20+02:00");
        Assert.True(a == b && b == c && a.Equals((object)c));
        Assert.Equal(a.GetHashCode(), c.GetHashCode());
        Assert.NotEqual(a.Text, c.Text);
        IsoTimestamp later = IsoTimestamp.Parse("2026-03-29T09:23:20.001Z");
        Assert.True(later > a && a < later && a <= b && a >= b && a != later);
        Assert.Equal(-1, a.CompareTo(later));
    }

    public static TheoryData<string> Refused() =>
    [
        "",
        "2026",
        "2026-02-30",
        "2026-13-01",
        "2025-02-29T00:00:00Z",
        "2026-02-08T14:51:11", // no zone: JavaScript would read local time
        "2026-02-08T14:51:11.630", // no zone
        "2026-02-08 14:51:11Z",
        "2026-02-08t14:51:11z",
        "2026-02-08T24:00:00Z",
        "2026-02-08T14:60:00Z",
        "2026-02-08T14:51:60Z",
        "2026-02-08T14:51:11.Z",
        "2026-02-08T14:51:11.1234567890Z",
        "2026-02-08T14:51:11+0200",
        "2026-02-08T14:51:11+24:00",
        "0000-01-01T00:00:00.000Z", // JavaScript's year 0: no DateTimeOffset has it
        "+275760-09-13T00:00:00.000Z",
        "-000001-01-01T00:00:00.000Z",
        "0001-01-01T00:00:00+01:00", // before DateTimeOffset.MinValue
        "9999-12-31T23:59:59-01:00", // after DateTimeOffset.MaxValue
        "Sun Feb 08 2026",
        " 2026-02-08T14:51:11Z",
        "2026-02-08T14:51:11Z ",
    ];

    [Theory]
    [MemberData(nameof(Refused))]
    public void Text_that_is_not_an_accepted_timestamp_is_refused(string text)
    {
        Assert.False(IsoTimestamp.TryParse(text, out _));
        Assert.Throws<FormatException>(() => IsoTimestamp.Parse(text));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Stamped>("{\"at\":" + JsonSerializer.Serialize(text) + ",\"byTime\":{}}", Reflection));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(JsonSerializer.Serialize(text), IsoTimestampContext.Default.IsoTimestamp));
    }

    [Theory]
    [InlineData("""{"at":1770562271630,"byTime":{}}""")]
    [InlineData("""{"at":null,"byTime":{}}""")]
    [InlineData("""{"at":{},"byTime":{}}""")]
    public void A_timestamp_that_is_not_a_string_is_refused(string json) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, IsoTimestampContext.Default.Stamped));

    [Fact]
    public void A_store_file_with_a_bad_timestamp_is_a_corrupt_file_left_as_it_is()
    {
        using var folder = new TempFolder();
        const string file = """{"at":"2026-02-30T00:00:00Z","byTime":{}}""";
        File.WriteAllText(folder.File("stamped.json"), file);
        StoreCorruptException error = Assert.Throws<StoreCorruptException>(() => JsonFileStore.Create<Stamped>("stamped.json", IsoTimestampContext.Default).Load(folder.Path));
        Assert.Contains("2026-02-30T00:00:00Z", error.Message, StringComparison.Ordinal);
        Assert.Equal(file, File.ReadAllText(folder.File("stamped.json")));
    }

    /// <summary>New values against <c>new Date(ms).toISOString()</c>, and every accepted text against <c>Date.parse</c>: one Node process.</summary>
    [SkippableFact]
    public void New_values_are_what_node_writes_and_node_reads_every_accepted_text_as_the_same_instant()
    {
        Node.SkipIfMissing();
        var random = new Random(20260208);
        long min = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
        long max = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();
        var milliseconds = new List<long> { min, max, 0, -1, 1, 951782400000 /* 2000-02-29 */, 1770562271630 };
        for (int i = 0; i < 5000; i++)
        {
            milliseconds.Add(i % 2 == 0 ? random.NextInt64(min, max + 1) : random.NextInt64(0, 4_102_444_800_000));
        }

        // Texts in the other accepted forms, with at most millisecond precision (Date.parse's own).
        var texts = KeptTexts().Cast<object[]>().Select(row => (string)row[0]).Where(t => !t.Contains("123456789", StringComparison.Ordinal)).ToList();
        foreach (long ms in milliseconds.Where(ms => ms > min + TimeSpan.MillisecondsPerDay && ms < max - TimeSpan.MillisecondsPerDay).Take(500))
        {
            DateTimeOffset instant = DateTimeOffset.FromUnixTimeMilliseconds(ms);
            DateTimeOffset shifted = instant.ToOffset(TimeSpan.FromMinutes(random.Next(-12 * 60, 14 * 60 + 1)));
            if (shifted.Year is > 1 and < 9999)
            {
                texts.Add(shifted.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFzzz", CultureInfo.InvariantCulture));
            }
        }

        using var folder = new TempFolder();
        string input = folder.File("input.json");
        string output = folder.File("output.json");
        File.WriteAllText(input, JsonSerializer.Serialize(new { milliseconds, texts }));
        Node.Run("""
            const fs = require('fs');
            const { milliseconds, texts } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
            fs.writeFileSync(process.argv[3], JSON.stringify({
              iso: milliseconds.map(ms => new Date(ms).toISOString()),
              parsed: texts.map(t => Date.parse(t)),
            }));
            """, input, output);
        using JsonDocument node = JsonDocument.Parse(File.ReadAllText(output));

        string[] iso = [.. node.RootElement.GetProperty("iso").EnumerateArray().Select(e => e.GetString()!)];
        for (int i = 0; i < milliseconds.Count; i++)
        {
            IsoTimestamp ours = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds[i]);
            Assert.Equal(iso[i], ours.Text);
            Assert.Equal(iso[i], JsonSerializer.Deserialize<string>(JsonSerializer.Serialize(ours, Reflection)));
        }

        long[] parsed = [.. node.RootElement.GetProperty("parsed").EnumerateArray().Select(e => e.GetInt64())];
        for (int i = 0; i < texts.Count; i++)
        {
            Assert.True(parsed[i] == IsoTimestamp.Parse(texts[i]).Value.ToUnixTimeMilliseconds(), $"{texts[i]}: Node reads {parsed[i]}, we read {IsoTimestamp.Parse(texts[i]).Value.ToUnixTimeMilliseconds()}");
        }
    }
}

public sealed record Stamped(IsoTimestamp At, IsoTimestamp? Maybe, Dictionary<IsoTimestamp, int> ByTime);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Stamped))]
[JsonSerializable(typeof(IsoTimestamp))]
internal sealed partial class IsoTimestampContext : JsonSerializerContext;
