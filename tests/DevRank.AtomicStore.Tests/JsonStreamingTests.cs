using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>The store's serializer paths must write exactly the bytes JsonSerializer.Serialize(Stream) writes; the choice between them is by shape.</summary>
public sealed class JsonStreamingTests
{
    private static readonly JsonSerializerOptions Reflection = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public sealed record Item(string Name, int Count, string? Note);

    public static TheoryData<string, int, int> Documents() => new()
    {
        { "empty", 0, 0 },
        { "small", 3, 10 },
        { "many chunks", 20_000, 20 },
        { "one token larger than a chunk", 1, 200_000 },
        { "unicode and escapes", 50, 3 },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Writes_the_same_bytes_as_the_serializer(string name, int items, int noteLength)
    {
        List<Item> document = Make(items, noteLength, unicode: name.StartsWith("unicode", StringComparison.Ordinal));
        foreach (bool indented in new[] { false, true })
        {
            JsonTypeInfo<List<Item>> typeInfo = TypeInfo(indented);
            var expected = new MemoryStream();
            JsonSerializer.Serialize(expected, document, typeInfo);

            var actual = new MemoryStream();
            JsonStreaming.Serialize(actual, document, typeInfo);

            Assert.Equal(expected.ToArray(), actual.ToArray());
        }
    }

    [Fact]
    public void Large_documents_reach_the_stream_in_chunks_not_whole()
    {
        var stream = new CountingStream();

        JsonStreaming.Serialize(stream, Make(50_000, 20, unicode: false), TypeInfo(indented: false));

        Assert.True(stream.Writes > 10, $"{stream.Writes} writes");
        Assert.True(stream.LargestWrite <= JsonStreaming.ChunkSize, $"largest write {stream.LargestWrite}");
    }

    [Fact]
    public void After_a_token_larger_than_a_chunk_the_writes_are_chunks_again_and_the_bytes_the_serializers()
    {
        // One 1M-character note amid 200,000 small items (6 MB): the writer grows once for that token, then goes back
        // to chunks, so the rest of the document is not gathered in the grown buffer. Utf8JsonWriter asks for 3 bytes
        // per character and fills what it was given before it asks again, so that one write can reach 3 MB.
        List<Item> document = Make(200_000, 20, unicode: false);
        document.Insert(10, new Item("huge", 1, new string('h', 1_000_000)));
        var expected = new MemoryStream();
        JsonSerializer.Serialize(expected, document, TypeInfo(indented: false));
        var stream = new CountingStream();

        JsonStreaming.Serialize(stream, document, TypeInfo(indented: false));

        Assert.Equal(expected.ToArray(), stream.ToArray());
        Assert.True(stream.WritesLargerThan(JsonStreaming.ChunkSize) == 1, $"{stream.WritesLargerThan(JsonStreaming.ChunkSize)} writes larger than a chunk, the largest {stream.LargestWrite}");
    }

    [SkippableFact]
    public void Saving_one_huge_string_leaves_no_huge_buffer_in_the_shared_pool()
    {
        // In a child process, whose heap and pool no other test shares. A 20M-character string asks the writer for
        // 60 MB at once; that buffer must be garbage once the save returns, not parked in ArrayPool<byte>.Shared.
        // Before the fix: pooled, and the heap after full collections 64 MiB larger than before the save.
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");
        using var folder = new TempFolder();

        (int exitCode, string output) = Child.Run("save-huge-string", folder.Path, "20000000", "objects");

        Assert.True(exitCode == 0, output);
        Assert.Contains("pooled no\n", output, StringComparison.Ordinal);
        long retained = long.Parse(output.Split('\n').Single(l => l.StartsWith("retained ", StringComparison.Ordinal))["retained ".Length..]);
        Assert.True(retained < StoreDefaults.PooledBufferLimit * 4L, output);
    }

    public sealed class Items : List<Item>;

    public sealed class Names : List<string>;

    public static TheoryData<Type, bool> Shapes() => new()
    {
        // Documents of objects: the fast path writes them inline, the writer path wins.
        { typeof(Item), true },
        { typeof(List<Item>), true },
        { typeof(Items), true },
        { typeof(Item[]), true },
        { typeof(Dictionary<string, Item>), true },
        // Collections of plain values: the resumable path of Serialize(Stream) wins.
        { typeof(List<string>), false },
        { typeof(Names), false },
        { typeof(Dictionary<string, DateTimeOffset?>), false },
        { typeof(HashSet<int>), false },
        // One value.
        { typeof(string), false },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Chooses_the_writer_path_only_for_documents_of_objects(Type type, bool expected)
    {
        Assert.Equal(expected, JsonStreaming.IsFasterFor(Reflection.GetTypeInfo(type)));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void The_net8_element_lookup_agrees_with_JsonTypeInfo_ElementType(Type type, bool _)
    {
        JsonTypeInfo typeInfo = Reflection.GetTypeInfo(type);
        if (typeInfo.Kind is JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary)
        {
            Assert.Equal(typeInfo.ElementType, JsonStreaming.ElementTypeFromHierarchy(type));
        }
    }

    [Fact]
    public void A_store_of_objects_takes_the_chunked_path_and_writes_the_serializers_bytes() =>
        AssertStoreWritesSerializerBytes(Make(5_000, 20, unicode: true), expectChunked: true);

    [Fact]
    public void A_store_of_values_takes_the_stream_path_and_writes_the_serializers_bytes() =>
        AssertStoreWritesSerializerBytes(
            Enumerable.Range(0, 20_000).ToDictionary(i => $"user-{i} ✓", i => i % 7 == 0 ? (DateTimeOffset?)null : DateTimeOffset.UnixEpoch.AddMinutes(i)),
            expectChunked: false);

    private static void AssertStoreWritesSerializerBytes<TDocument>(TDocument document, bool expectChunked)
    {
        using var folder = new TempFolder();
        var typeInfo = (JsonTypeInfo<TDocument>)Reflection.GetTypeInfo(typeof(TDocument));
        byte[] expected = JsonSerializer.SerializeToUtf8Bytes(document, typeInfo);
        var store = new JsonFileStore<TDocument>("doc.json", typeInfo);

        store.Save(folder.Path, document);

        Assert.Equal(expectChunked, store.SerializesInChunks);
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(folder.Path, "doc.json")));
    }

    private static JsonTypeInfo<List<Item>> TypeInfo(bool indented)
    {
        var options = new JsonSerializerOptions { WriteIndented = indented, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };
        return (JsonTypeInfo<List<Item>>)options.GetTypeInfo(typeof(List<Item>));
    }

    private static List<Item> Make(int items, int noteLength, bool unicode) =>
        Enumerable.Range(0, items)
            .Select(i => new Item(unicode ? $"名前 {i} 🚀 \"q\" \r\n" : $"item-{i}", i, i % 3 == 2 ? null : new string('n', noteLength)))
            .ToList();

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public int LargestWrite { get; private set; }

        private readonly List<int> _lengths = [];

        public int WritesLargerThan(int length) => _lengths.Count(l => l > length);

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, count);
            _lengths.Add(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            _lengths.Add(buffer.Length);
            base.Write(buffer);
        }
    }
}
