using System.Text;
using System.Text.Json.Serialization;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// <see cref="JsonStyle"/> through a store's save: the bytes on disk are what Node writes for the same value, so a file
/// shared with JavaScript tools and kept in git changes only where its data does.
/// </summary>
public sealed class JsonStyleStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("devrank-style-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A tracker as DevRank keeps it: login or numeric id → toISOString() time, or null; non-ASCII and a key Node moves.
    private const string Tracker = """{"octocat":"2026-02-08T14:51:11.630Z","zoë":null,"12345":"2026-03-29T09:23:20Z","user😀":"2026-01-01T00:00:00.000Z","7":null}""";

    [SkippableTheory]
    [InlineData(2)]
    [InlineData(0)]
    [InlineData(4)]
    public void A_JavaScript_style_save_writes_what_JSON_stringify_writes(int indent)
    {
        Node.SkipIfMissing();
        var store = JsonFileStore.Create<Dictionary<string, IsoTimestamp?>>("tracker.json", StyleJson.Default, style: JsonStyle.JavaScript, indent: indent);
        Dictionary<string, IsoTimestamp?> value = System.Text.Json.JsonSerializer.Deserialize(Tracker, StyleJson.Default.DictionaryStringNullableIsoTimestamp)!;
        store.Save(_dir, value);

        string node = Node.Run($"process.stdout.write(JSON.stringify(JSON.parse(process.argv[2]), null, {indent}))", Tracker);
        Assert.Equal(node, File.ReadAllText(store.GetPath(_dir), Encoding.UTF8));

        // Read back and saved unchanged: not one byte moves, and the timestamps keep their text.
        store.Save(_dir, store.Load(_dir));
        Assert.Equal(node, File.ReadAllText(store.GetPath(_dir), Encoding.UTF8));
    }

    [SkippableFact]
    public void A_record_per_line_save_writes_what_DevRank_writes_for_users_json()
    {
        Node.SkipIfMissing();
        const string Users = """[{"login":"a","name":"Zoë 张","bio":"line\r\nnext","tc":1e21},{"login":"b","stars":0.1,"x":-0}]""";
        var store = JsonFileStore.Create<List<Dictionary<string, System.Text.Json.JsonElement>>>("users.json", StyleJson.Default, style: JsonStyle.JavaScriptRecordPerLine);
        store.Save(_dir, System.Text.Json.JsonSerializer.Deserialize(Users, StyleJson.Default.ListDictionaryStringJsonElement)!);

        string node = Node.Run("const u = JSON.parse(process.argv[2]); process.stdout.write('[\\n' + u.map(r => JSON.stringify(r)).join(',\\n') + '\\n]')", Users);
        Assert.Equal(node, File.ReadAllText(store.GetPath(_dir), Encoding.UTF8));
    }

    [SkippableFact]
    public void A_JavaScript_JSON_Lines_store_writes_DevIndex_users_jsonl_byte_for_byte()
    {
        Node.SkipIfMissing();
        // DevIndex: users.map(u => JSON.stringify(u)).join('\n'), no final newline; numeric ids, CJK, emoji, CR LF.
        const string Users = """[{"i":1234,"l":"zoë","n":"张伟 😀","b":"a\r\nb","t":1.5e-7},{"i":99,"l":"x","s":[]}]""";
        var store = JsonLinesFileStore.Create<List<Dictionary<string, System.Text.Json.JsonElement>>, Dictionary<string, System.Text.Json.JsonElement>>(
            "users.jsonl", StyleJson.Default, finalNewline: false, style: JsonStyle.JavaScript);
        string node = Node.Run("process.stdout.write(JSON.parse(process.argv[2]).map(u => JSON.stringify(u)).join('\\n'))", Users);
        File.WriteAllText(store.GetPath(_dir), node, new UTF8Encoding(false));

        store.Save(_dir, store.Load(_dir));
        Assert.Equal(node, File.ReadAllText(store.GetPath(_dir), Encoding.UTF8));

        // An append writes its '\n' first and the record as Node would.
        store.Append(_dir, System.Text.Json.JsonSerializer.Deserialize("""{"l":"new","n":"Ωmega"}""", StyleJson.Default.DictionaryStringJsonElement)!);
        Assert.Equal(node + "\n" + """{"l":"new","n":"Ωmega"}""", File.ReadAllText(store.GetPath(_dir), Encoding.UTF8));
    }

    [Fact]
    public void A_record_per_line_store_that_is_not_an_array_fails_before_replacing_anything()
    {
        var store = JsonFileStore.Create<Dictionary<string, IsoTimestamp?>>("tracker.json", StyleJson.Default, style: JsonStyle.JavaScriptRecordPerLine);
        File.WriteAllText(store.GetPath(_dir), "{}");
        Assert.ThrowsAny<AtomicStoreException>(() => store.Save(_dir, new Dictionary<string, IsoTimestamp?> { ["a"] = null }));
        Assert.Equal("{}", File.ReadAllText(store.GetPath(_dir)));
        Assert.Single(Directory.GetFileSystemEntries(_dir), p => !p.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public void An_indent_JSON_stringify_would_not_use_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonFileStore.Create<Dictionary<string, IsoTimestamp?>>("a.json", StyleJson.Default, style: JsonStyle.JavaScript, indent: 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => JsonFileStore.Create<Dictionary<string, IsoTimestamp?>>("a.json", StyleJson.Default, style: (JsonStyle)9));
    }
}

[JsonSerializable(typeof(Dictionary<string, IsoTimestamp?>))]
[JsonSerializable(typeof(List<Dictionary<string, System.Text.Json.JsonElement>>))]
[JsonSerializable(typeof(Dictionary<string, System.Text.Json.JsonElement>))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(bool))]
internal sealed partial class StyleJson : JsonSerializerContext
{
}
