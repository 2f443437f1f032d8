using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore.Tests;

/// <summary>The store's serializer path must write exactly the bytes JsonSerializer.Serialize(Stream) writes.</summary>
public sealed class JsonStreamingTests
{
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

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            LargestWrite = Math.Max(LargestWrite, buffer.Length);
            base.Write(buffer);
        }
    }
}
