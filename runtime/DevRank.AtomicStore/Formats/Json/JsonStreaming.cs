using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>
/// Serializes a document into a stream in bounded, pooled chunks, through System.Text.Json's fastest path.
/// </summary>
/// <remarks>
/// <c>JsonSerializer.Serialize(Stream, ...)</c> tries a source-generated context's fast path once per type, and after
/// the first document larger than its buffer (16 KiB by default) switches that type for good to the resumable
/// converter path, which checks for a flush after every value: about 30% slower on a 26 MB array of records (see
/// docs/benchmarks.md). Serializing into a <see cref="Utf8JsonWriter"/> has no such switch; the writer here hands
/// the stream whole pages from one pooled 64 KiB buffer, so the document still never exists whole in memory and the file
/// gets few, large writes. Only a single token larger than that (a huge string) needs a bigger buffer, for as long as
/// it takes to write it; above <see cref="StoreDefaults.PooledBufferLimit"/> that buffer is never pooled. The bytes are the same as <c>JsonSerializer.Serialize(Stream, ...)</c> writes.
/// That pays off only where the fast path writes objects inline; <see cref="IsFasterFor"/> says where.
/// </remarks>
internal static class JsonStreaming
{
    /// <summary>Bytes handed to the stream per write.</summary>
    internal const int ChunkSize = 64 * 1024;

    /// <summary>Serializes <paramref name="value"/> into <paramref name="stream"/>, as <c>JsonSerializer.Serialize(stream, value, typeInfo)</c> does.</summary>
    public static void Serialize<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        using var chunks = new StreamBufferWriter(stream);
        using (var writer = new Utf8JsonWriter(chunks, WriterOptions(typeInfo.Options)))
        {
            JsonSerializer.Serialize(writer, value, typeInfo);
        }

        chunks.Drain();
    }

    /// <summary>
    /// True when <see cref="Serialize"/> is the faster way to stream documents of this type, false when plain
    /// <c>JsonSerializer.Serialize(Stream, ...)</c> is.
    /// </summary>
    /// <remarks>
    /// Measured (docs/benchmarks.md, Findings 1): the writer path wins where the document is objects, which a
    /// source-generated fast path writes inline (an array of 36k records: 0.68 × the time). It loses where the
    /// document is a collection of plain values (a dictionary of nullable dates: 1.3 ×; a list of strings: 1.15 ×):
    /// there the fast path calls <c>JsonSerializer.Serialize(writer, ...)</c> for every value, which flushes the
    /// writer each time, while the resumable path writes the values straight from the collection's converter.
    /// </remarks>
    public static bool IsFasterFor(JsonTypeInfo typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object:
                return true;
            case JsonTypeInfoKind.Enumerable or JsonTypeInfoKind.Dictionary:
                Type? element = ElementType(typeInfo);
                try
                {
                    return element is not null && typeInfo.Options.GetTypeInfo(element).Kind == JsonTypeInfoKind.Object;
                }
                catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
                {
                    // No metadata for the element type (a custom converter handles it): nothing to gain either way.
                    return false;
                }

            default:
                // One value (a string, a number): both paths write it in one go.
                return false;
        }
    }

    /// <summary>The element (or dictionary value) type of a collection's metadata.</summary>
    private static Type? ElementType(JsonTypeInfo typeInfo) =>
#if NET9_0_OR_GREATER
        typeInfo.ElementType;
#else
        ElementTypeFromHierarchy(typeInfo.Type);
#endif

    /// <summary>
    /// .NET 8 has no <c>JsonTypeInfo.ElementType</c>: an array's element type, else the last type argument of the
    /// first generic type in the hierarchy (<c>List&lt;T&gt;</c>, <c>Dictionary&lt;TKey, TValue&gt;</c>, types derived
    /// from them). Compiled everywhere so that tests on newer runtimes can hold it to <c>ElementType</c>.
    /// </summary>
    internal static Type? ElementTypeFromHierarchy(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        for (Type? current = type; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType)
            {
                return current.GetGenericArguments()[^1];
            }
        }

        return null;
    }

    /// <summary>The writer options <c>JsonSerializer</c> itself derives from serializer options.</summary>
    private static JsonWriterOptions WriterOptions(JsonSerializerOptions options) => new()
    {
        Encoder = options.Encoder,
        Indented = options.WriteIndented,
#if NET9_0_OR_GREATER
        // Indentation settings exist from .NET 9 on; .NET 8 always indents with two spaces and the OS new line.
        IndentCharacter = options.IndentCharacter,
        IndentSize = options.IndentSize,
        NewLine = options.NewLine,
#endif
        MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        // The serializer produces valid JSON by construction; it skips the writer's checks the same way.
        SkipValidation = true,
    };
}
