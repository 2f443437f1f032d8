using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// <see cref="JavaScriptJson"/> must write what Node writes for <c>JSON.stringify(JSON.parse(text), null, n)</c>, byte
/// for byte. The reference is Node itself: one process checks every generated document.
/// </summary>
public sealed class JavaScriptJsonTests
{
    private const int GeneratedDocuments = 10_000;

    // What Node v20 writes for each input, taken from it once (`node -e 'process.stdout.write(JSON.stringify(JSON.parse(input), null, 2))'`)
    // and written down here so that these cases run where Node does not.
    public static TheoryData<string, int, string> Known() => new()
    {
        { """{"b":1,"a":2}""", 2, "{\n  \"b\": 1,\n  \"a\": 2\n}" },
        { """{"b":1,"a":2}""", 0, """{"b":1,"a":2}""" },
        { """{"a":[],"b":{},"c":[[]],"d":[{}]}""", 2, "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": [\n    []\n  ],\n  \"d\": [\n    {}\n  ]\n}" },
        { """[1,[2,{"x":null}]]""", 4, "[\n    1,\n    [\n        2,\n        {\n            \"x\": null\n        }\n    ]\n]" },
        { """{"a":true}""", 10, "{\n          \"a\": true\n}" },
        { """ { "a" : [ 1 , 2 ] ,"b":"c" } """, 0, """{"a":[1,2],"b":"c"}""" },
        { "[]", 2, "[]" },
        { "{}", 2, "{}" },
        { "\"x\"", 2, "\"x\"" },
        { "-0", 2, "0" },
        // Array-index keys first, ascending; then the rest in insertion order; a repeated key: first place, last value.
        { """{"b":1,"4294967295":2,"4294967294":3,"01":4,"1":5,"0":6,"-1":7,"a":8,"b":9,"1":10}""", 0, """{"0":6,"1":10,"4294967294":3,"b":9,"4294967295":2,"01":4,"-1":7,"a":8}""" },
        { """{"x":1,"\u0031":2}""", 0, """{"1":2,"x":1}""" },
        { """{"a":{"x":1},"b":2,"a":[3]}""", 0, """{"a":[3],"b":2}""" },
        { """{"\u0061":1,"a":2}""", 0, """{"a":2}""" },
        { """{"2":{"1":"a","0":"b"},"1":[{"b":0,"a":1,"0":2}]}""", 0, """{"1":[{"0":2,"b":0,"a":1}],"2":{"0":"b","1":"a"}}""" },
        // Strings: raw UTF-8 but for " \ C0 controls and lone surrogates; lowercase hex.
        { """["\ud800","\uDBFF","\uDC00x","\uD83D\uDE00","\uDE00\uD83D","\u2028\u2029","\u001F\u007f\b\f\n\r\t\u0000","\/","\u00e9\u00E9","\"\\","\u0022\u005c"]""", 0,
            "[\"\\ud800\",\"\\udbff\",\"\\udc00x\",\"😀\",\"\\ude00\\ud83d\",\"\u2028\u2029\",\"\\u001f\u007f\\b\\f\\n\\r\\t\\u0000\",\"/\",\"éé\",\"\\\"\\\\\",\"\\\"\\\\\"]" },
        { "[\"😀 \U0010FFFF \uFFFF \uFEFF\"]", 0, "[\"😀 \U0010FFFF \uFFFF \uFEFF\"]" },
        // Numbers: Number::toString.
        { "[1E+21,1e-7,5E-324,-0,1.10,123e-20,0.000001,1.5E-07,100,1e20,1E2,0.1e1,-1.7976931348623157E+308,0.30000000000000004,4.35]", 0,
            "[1e+21,1e-7,5e-324,0,1.1,1.23e-18,0.000001,1.5e-7,100,100000000000000000000,100,1,-1.7976931348623157e+308,0.30000000000000004,4.35]" },
        { "[9.999999999999999E+20,1E+22,123456789012345680000,1e-6,1.2345e-6,0.00001234,1.5e300,-5e-324]", 0,
            "[999999999999999900000,1e+22,123456789012345680000,0.000001,0.0000012345,0.00001234,1.5e+300,-5e-324]" },
        // Where the plain notation ends, both ways; the literals written as they are without a parse.
        { "[0.000001,0.0000001,0.00000123,0.0000012,100000000000000000000,1000000000000000000000,-0.0,-0.5,12345.333333333334,5e-7,123.456,0.5,1.5,-1.5e-6]", 0,
            "[0.000001,1e-7,0.00000123,0.0000012,100000000000000000000,1e+21,0,-0.5,12345.333333333334,5e-7,123.456,0.5,1.5,-0.0000015]" },
        // The deliberate difference: digits a double cannot hold are kept (Node: 9007199254740992, 1152921504606847000,
        // -9223372036854776000, null, 0.1, 0, 79228162514264340000000000000, 0.12345678901234568, 1).
        { "[9007199254740993,1152921504606846976,-9223372036854775808,1e400,0.1000000000000000055511151231257827,1e-400,79228162514264337593543950335,0.1234567890123456789,1.0000000000000001]", 0,
            "[9007199254740993,1152921504606846976,-9223372036854775808,1e400,0.1000000000000000055511151231257827,1e-400,79228162514264337593543950335,0.1234567890123456789,1.0000000000000001]" },
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void Writes_what_node_writes_for_known_cases(string input, int indent, string expected) =>
        Assert.Equal(expected, Write(input, indent));

    [Fact]
    public void Objects_wide_enough_for_the_hash_table_still_find_repeated_keys_and_indices()
    {
        var members = Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}").ToList();
        members.Insert(5, "\"7\":\"seven\"");
        members.Add("\"k3\":\"last\"");
        members.Add("\"\\u006b10\":\"escaped\"");
        members.Add("\"2\":\"two\"");
        string output = Write("{" + string.Join(",", members) + "}", 0);
        string expected = "{\"2\":\"two\",\"7\":\"seven\","
            + string.Join(",", Enumerable.Range(0, 40).Select(i => i switch { 3 => "\"k3\":\"last\"", 10 => "\"k10\":\"escaped\"", _ => $"\"k{i}\":{i}" }))
            + "}";
        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void An_indent_JSON_stringify_would_clamp_is_refused(int indent) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Write("{}", indent));

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[1,]")]
    [InlineData("1 2")]
    [InlineData("{\"a\" 1}")]
    [InlineData("[01]")]
    [InlineData("\"\t\"")]
    [InlineData("'a'")]
    public void Input_that_is_not_one_JSON_value_is_a_JsonException(string input) =>
        Assert.ThrowsAny<JsonException>(() => Write(input, 2));

    [Fact]
    public void Invalid_UTF_8_and_too_deep_nesting_are_JsonExceptions()
    {
        Assert.ThrowsAny<JsonException>(() => JavaScriptJson.Write([(byte)'"', 0xFF, (byte)'"'], new ArrayBufferWriter<byte>(), 0));
        Assert.ThrowsAny<JsonException>(() => JavaScriptJson.Write([(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'], new ArrayBufferWriter<byte>(), 0));
        string deep = new string('[', 65) + new string(']', 65);
        Assert.ThrowsAny<JsonException>(() => Write(deep, 0));
        Assert.Equal(new string('[', 64) + new string(']', 64), Write(new string('[', 64) + new string(']', 64), 0));
    }

    [Fact]
    public void A_stream_gets_the_same_bytes_as_a_buffer_writer_across_many_chunks()
    {
        var random = new RandomJson(7);
        string document = "[" + string.Join(",", Enumerable.Range(0, 400).Select(_ => random.Document()))
            + ",\"" + new string('x', 200_000) + "\\n\",{\"1\":\"" + new string('é', 100_000) + "\",\"0\":2}]";
        byte[] json = Encoding.UTF8.GetBytes(document);
        foreach (int indent in new[] { 0, 2 })
        {
            var buffer = new ArrayBufferWriter<byte>();
            JavaScriptJson.Write(json, buffer, indent);
            var stream = new MemoryStream();
            JavaScriptJson.Write(json, stream, indent);
            Assert.True(buffer.WrittenSpan.SequenceEqual(stream.ToArray()));
        }
    }

    [Theory]
    [InlineData("records", 4 * 1024)]
    [InlineData("random, a third of the objects reordered", 4 * 1024)]
    public void Writing_a_document_allocates_nothing_the_size_of_the_document(string kind, int limit)
    {
        var random = new RandomJson(11);
        string document = kind == "records"
            ? "[" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"{{\"login\":\"user{i}\",\"tc\":{i * 7},\"score\":{i / 3.0},\"langs\":{{\"C\":1,\"Go\":2}}}}")) + "]"
            : "[" + string.Join(",", Enumerable.Range(0, 2000).Select(_ => random.Document())) + "]";
        byte[] json = Encoding.UTF8.GetBytes(document);
        Assert.True(json.Length > 500_000, $"the document has {json.Length} bytes");
        JavaScriptJson.Write(json, Stream.Null, 2); // warm up: the pools, the JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        JavaScriptJson.Write(json, Stream.Null, 2);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < limit, $"writing {json.Length} bytes allocated {allocated} bytes");
    }

    [Fact]
    public void The_serializer_path_keeps_a_lone_surrogate_that_System_Text_Json_would_replace()
    {
        var value = new Dictionary<string, object?>
        {
            ["b"] = "lone \ud800 high, lone \udc00 low, pair 😀, \u2028, é, <>&'+, \u0001",
            ["2"] = 9007199254740993L,
            ["1"] = 1.10m,
            ["k\udbff"] = -0.0,
            ["a"] = 1e21,
        };
        var stream = new MemoryStream();
        JavaScriptJson.Serialize(stream, value, (JsonTypeInfo<Dictionary<string, object?>>)JsonSerializerOptions.Default.GetTypeInfo(value.GetType()), 2);
        Assert.Equal(
            "{\n  \"1\": 1.1,\n  \"2\": 9007199254740993,\n  \"b\": \"lone \\ud800 high, lone \\udc00 low, pair 😀, \u2028, é, <>&'+, \\u0001\",\n  \"k\\udbff\": 0,\n  \"a\": 1e+21\n}",
            Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void The_serializer_path_writes_a_document_far_larger_than_its_first_buffer()
    {
        // 64 KiB first, pooled up to 1 MiB, plain arrays above: every growth of the compact buffer is crossed.
        var random = new RandomJson(3);
        List<Dictionary<string, string>> value = [.. Enumerable.Range(0, 60_000).Select(i => new Dictionary<string, string>
        {
            ["login"] = "user" + i,
            [(i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)] = random.PlainString(20),
        })];
        var typeInfo = (JsonTypeInfo<List<Dictionary<string, string>>>)JsonSerializerOptions.Default.GetTypeInfo(value.GetType());
        var stream = new MemoryStream();
        JavaScriptJson.Serialize(stream, value, typeInfo, 2);
        Assert.True(stream.Length > 3 << 20, $"{stream.Length} bytes");

        var expected = new ArrayBufferWriter<byte>();
        JavaScriptJson.Write(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo), expected, 2);
        Assert.True(expected.WrittenSpan.SequenceEqual(stream.ToArray()));
    }

    /// <summary>
    /// The differential test: every generated document, at indents 2, 0 and one of 1 to 10, against Node's own
    /// output, byte for byte; and Node reads back what we wrote and gets the same value.
    /// </summary>
    [SkippableFact]
    public void Ten_thousand_random_documents_are_written_byte_for_byte_as_node_writes_them()
    {
        Node.SkipIfMissing();
        var random = new RandomJson(20260208);
        var documents = new List<string>(GeneratedDocuments + 100);
        for (int i = 0; i < GeneratedDocuments; i++)
        {
            documents.Add(random.Document());
        }

        foreach (object[] known in Known())
        {
            documents.Add((string)known[0]);
        }

        var cases = new List<(int Document, int Indent, byte[] Ours)>();
        for (int d = 0; d < documents.Count; d++)
        {
            byte[] json = Encoding.UTF8.GetBytes(documents[d]);
            foreach (int indent in new[] { 2, 0, 1 + (d % JavaScriptJson.MaxIndent) })
            {
                var output = new ArrayBufferWriter<byte>();
                JavaScriptJson.Write(json, output, indent);
                cases.Add((d, indent, output.WrittenSpan.ToArray()));
            }
        }

        // The deliberate difference (digits a double cannot hold) is left out of the byte comparison, not of the read-back.
        List<string> failures = CompareWithNode(documents, cases, isDeliberate: d => d >= GeneratedDocuments + Known().Count - 1);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} outputs differ from Node's:\n{string.Join("\n\n", failures.Take(5))}");
    }

    /// <summary>Values as System.Text.Json serializes them (reflection and a generated context), through the serializer path.</summary>
    [SkippableFact]
    public void Dotnet_values_serialized_for_JavaScript_are_what_node_writes_for_the_same_values()
    {
        Node.SkipIfMissing();
        var random = new RandomJson(42);
        var documents = new List<string>();
        var cases = new List<(int Document, int Indent, byte[] Ours)>();
        JsonTypeInfo<Sample> generated = JavaScriptJsonContext.Default.Sample;
        JsonTypeInfo<Sample> reflection = (JsonTypeInfo<Sample>)new JsonSerializerOptions { TypeInfoResolver = new DefaultJsonTypeInfoResolver() }.GetTypeInfo(typeof(Sample));
        JsonTypeInfo<Sample> relaxed = (JsonTypeInfo<Sample>)new JsonSerializerOptions
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            WriteIndented = true,
        }.GetTypeInfo(typeof(Sample));
        for (int i = 0; i < 1000; i++)
        {
            Sample sample = MakeSample(random, depth: 0);
            // Node's input: System.Text.Json's own text of the value (no lone surrogates here: it would replace them).
            documents.Add(JsonSerializer.Serialize(sample, reflection));
            int indent = i % 3 == 0 ? 0 : 2;
            var stream = new MemoryStream();
            JavaScriptJson.Serialize(stream, sample, (i % 3) switch { 0 => generated, 1 => reflection, _ => relaxed }, indent);
            cases.Add((i, indent, stream.ToArray()));
        }

        List<string> failures = CompareWithNode(documents, cases, isDeliberate: _ => false);
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} outputs differ from Node's:\n{string.Join("\n\n", failures.Take(5))}");
    }

    [Fact]
    public void A_store_file_written_by_node_is_written_back_unchanged()
    {
        // The shape of DevRank's users.json, as Node wrote it.
        string file = "[\n  {\n    \"login\": \"octo\",\n    \"tc\": 1234,\n    \"score\": 0.30000000000000004,\n    \"lu\": \"2026-02-08T14:51:11.630Z\",\n    \"seen\": \"2026-03-29T09:23:20Z\",\n    \"langs\": {\n      \"0\": \"C\",\n      \"TypeScript\": 12,\n      \"C#\": 1e-7\n    },\n    \"bio\": \"😀 \\u0007 \\ud800 \u2028\"\n  }\n]";
        byte[] bytes = Encoding.UTF8.GetBytes(file);
        var output = new ArrayBufferWriter<byte>();
        JavaScriptJson.Write(bytes, output, 2);
        Assert.Equal(file, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    /// <summary>
    /// Runs Node once over every case: it writes its own output for each (document, indent), and reads back ours.
    /// Returns a description of each case where the bytes differ or the read-back does not give the same value.
    /// </summary>
    private static List<string> CompareWithNode(List<string> documents, List<(int Document, int Indent, byte[] Ours)> cases, Func<int, bool> isDeliberate)
    {
        using var folder = new TempFolder();
        string documentsPath = folder.File("documents.json");
        string casesPath = folder.File("cases.json");
        string oursPath = folder.File("ours.bin");
        string expectedPath = folder.File("expected.bin");
        string readBackPath = folder.File("readback.bin");
        // ASCII-escaped by the default encoder: lone surrogates travel as the escapes the documents hold them in.
        File.WriteAllText(documentsPath, JsonSerializer.Serialize(documents));
        File.WriteAllText(casesPath, JsonSerializer.Serialize(cases.Select(c => new[] { c.Document, c.Indent })));
        using (FileStream ours = File.Create(oursPath))
        {
            byte[] length = new byte[4];
            foreach ((int _, int _, byte[] bytes) in cases)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
                ours.Write(length);
                ours.Write(bytes);
            }
        }

        Node.Run(NodeScript, documentsPath, casesPath, oursPath, expectedPath, readBackPath);

        byte[] expectedAll = File.ReadAllBytes(expectedPath);
        byte[] readBack = File.ReadAllBytes(readBackPath);
        Assert.Equal(cases.Count, readBack.Length);
        var failures = new List<string>();
        int at = 0;
        for (int i = 0; i < cases.Count; i++)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(expectedAll.AsSpan(at));
            ReadOnlySpan<byte> expected = expectedAll.AsSpan(at + 4, length);
            at += 4 + length;
            (int document, int indent, byte[] ours) = cases[i];
            if (readBack[i] != 1)
            {
                failures.Add($"Node does not read back our output as the same value (indent {indent}):\n  input: {documents[document]}\n  ours:  {Encoding.UTF8.GetString(ours)}");
            }
            else if (!expected.SequenceEqual(ours) && !isDeliberate(document))
            {
                int diff = expected.CommonPrefixLength(ours);
                failures.Add($"indent {indent}, first difference at byte {diff}:\n  input: {documents[document]}\n  node:  {Encoding.UTF8.GetString(expected)}\n  ours:  {Encoding.UTF8.GetString(ours)}");
            }
        }

        return failures;
    }

    private const string NodeScript = """
        const fs = require('fs');
        const [documentsPath, casesPath, oursPath, expectedPath, readBackPath] = process.argv.slice(2);
        const documents = JSON.parse(fs.readFileSync(documentsPath, 'utf8'));
        const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
        const ours = fs.readFileSync(oursPath);
        const expected = [];
        const readBack = Buffer.alloc(cases.length);
        let at = 0;
        cases.forEach(([document, indent], i) => {
          const text = JSON.stringify(JSON.parse(documents[document]), null, indent);
          const bytes = Buffer.from(text, 'utf8');
          const length = Buffer.alloc(4);
          length.writeUInt32LE(bytes.length);
          expected.push(length, bytes);
          const oursLength = ours.readUInt32LE(at);
          const oursText = ours.toString('utf8', at + 4, at + 4 + oursLength);
          at += 4 + oursLength;
          let again = null;
          try { again = JSON.stringify(JSON.parse(oursText), null, indent); } catch (e) { again = null; }
          readBack[i] = again === text ? 1 : 0;
        });
        fs.writeFileSync(expectedPath, Buffer.concat(expected));
        fs.writeFileSync(readBackPath, readBack);
        """;

    private static string Write(string input, int indent)
    {
        var output = new ArrayBufferWriter<byte>();
        JavaScriptJson.Write(Encoding.UTF8.GetBytes(input), output, indent);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static Sample MakeSample(RandomJson random, int depth)
    {
        int keys = random.Next(6);
        var byKey = new Dictionary<string, double>();
        for (int k = 0; k < keys; k++)
        {
            string key = random.Next(2) == 0 ? random.Next(12).ToString(System.Globalization.CultureInfo.InvariantCulture) : random.PlainString(5);
            byKey[key] = random.Double();
        }

        return new Sample(
            random.PlainString(12),
            random.NextInt64(-(1L << 53), (1L << 53) + 1),
            random.Double(),
            // At most 15 significant digits: a double holds them exactly, so JavaScript prints them back.
            new decimal(random.Next(int.MaxValue), random.Next(1000), 0, random.Next(2) == 0, (byte)random.Next(10)),
            [.. Enumerable.Range(0, random.Next(4)).Select(_ => random.Next(int.MaxValue) - (int.MaxValue / 2))],
            byKey,
            depth < 2 && random.Next(3) == 0 ? [.. Enumerable.Range(0, random.Next(3)).Select(_ => MakeSample(random, depth + 1))] : null,
            DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(0, 4_000_000_000_000)),
            random.Next(2) == 0,
            random.Next(2) == 0 ? null : random.PlainString(30));
    }
}

public sealed record Sample(
    string Name, long Id, double Score, decimal Amount, int[] Counts, Dictionary<string, double> ByKey,
    List<Sample>? Children, DateTimeOffset When, bool Flag, string? Note);

[JsonSerializable(typeof(Sample))]
internal sealed partial class JavaScriptJsonContext : JsonSerializerContext;
