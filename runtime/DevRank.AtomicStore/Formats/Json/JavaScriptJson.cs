using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>
/// Writes JSON byte for byte as Node writes it: <c>JSON.stringify(JSON.parse(text), null, indent)</c>, for a
/// document System.Text.Json produced. DevRank keeps its data files in git; a .NET store that writes them must not
/// change bytes the data did not change.
/// </summary>
/// <remarks>
/// <para>What JavaScript does, and so what this does:</para>
/// <list type="bullet">
/// <item>Layout: with an indent of n (1 to 10) spaces, one member or element per line, <c>"key": value</c>, empty
/// containers as <c>{}</c> and <c>[]</c>; with 0, no whitespace at all. No final new line.</item>
/// <item>Strings: see <see cref="JavaScriptStrings"/> (UTF-8 as it is but for <c>"</c>, <c>\</c>, C0 controls and
/// lone surrogates, lowercase hex).</item>
/// <item>Numbers: see <see cref="JavaScriptNumbers"/> (shortest round-trip digits, <c>1e+21</c>, <c>-0</c> as
/// <c>0</c>). The one deliberate difference is there: a number JavaScript's text would not denote exactly (a long
/// beyond 2^53) keeps its digits.</item>
/// <item>Member order and repeated keys: see <see cref="KeyOrder"/>.</item>
/// </list>
/// <para>
/// Two passes over one complete buffer: the first validates it and finds the objects to reorder, the second writes.
/// The output goes out through an <see cref="IBufferWriter{T}"/> in spans it gives; nothing the size of the document
/// is allocated besides the input itself.
/// </para>
/// </remarks>
internal static class JavaScriptJson
{
    /// <summary>The largest indent <c>JSON.stringify</c> uses (it clamps larger ones to 10).</summary>
    public const int MaxIndent = 10;

    /// <summary>System.Text.Json's default depth limit, which the serializer also applies when its options say 0.</summary>
    private const int DefaultMaxDepth = 64;

    /// <summary>
    /// Serializes <paramref name="value"/> into <paramref name="stream"/> as
    /// <c>JSON.stringify(value, null, indent)</c> would write it in Node. What a store's save calls.
    /// </summary>
    /// <remarks>
    /// The serializer writes the compact document into one pooled buffer (a plain array above
    /// <see cref="StoreDefaults.PooledBufferLimit"/>), with an encoder that escapes only what JSON requires and
    /// keeps lone surrogates; the document is then rewritten into the stream in whole 64 KiB chunks. A save holds
    /// the compact document (twice, briefly, while the buffer grows) plus one chunk.
    /// </remarks>
    /// <param name="stream">Where the document goes; not flushed or closed here.</param>
    /// <param name="value">The document.</param>
    /// <param name="typeInfo">Its metadata; its options' converters, naming and depth limit apply, their encoder and indentation do not.</param>
    /// <param name="indent">Spaces per level, 0 (compact) to <see cref="MaxIndent"/>.</param>
    public static void Serialize<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo, int indent)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        CheckIndent(indent);
        int maxDepth = MaxDepthOf(typeInfo);
        using PooledBufferWriter compact = SerializeCompact(value, typeInfo, maxDepth);
        Write(compact.WrittenSpan, stream, indent, maxDepth);
    }

    /// <summary>Writes <paramref name="json"/> into <paramref name="stream"/> as Node writes <c>JSON.stringify(JSON.parse(json), null, indent)</c>.</summary>
    /// <param name="json">One JSON value, UTF-8.</param>
    /// <param name="stream">Where the result goes, in whole pages but for the last write; not flushed or closed here.</param>
    /// <param name="indent">Spaces per level, 0 (compact) to <see cref="MaxIndent"/>.</param>
    /// <param name="maxDepth">The deepest nesting accepted.</param>
    /// <exception cref="JsonException"><paramref name="json"/> is not one valid JSON value in UTF-8, or is nested too deep.</exception>
    public static void Write(ReadOnlySpan<byte> json, Stream stream, int indent, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var output = new StreamBufferWriter(stream);
        Write(json, output, indent, maxDepth);
        output.Drain();
    }

    /// <summary>Writes <paramref name="json"/> into <paramref name="output"/> as Node writes <c>JSON.stringify(JSON.parse(json), null, indent)</c>.</summary>
    /// <param name="json">One JSON value, UTF-8.</param>
    /// <param name="output">Where the result goes.</param>
    /// <param name="indent">Spaces per level, 0 (compact) to <see cref="MaxIndent"/>.</param>
    /// <param name="maxDepth">The deepest nesting accepted.</param>
    /// <exception cref="JsonException"><paramref name="json"/> is not one valid JSON value in UTF-8, or is nested too deep.</exception>
    public static void Write(ReadOnlySpan<byte> json, IBufferWriter<byte> output, int indent, int maxDepth = DefaultMaxDepth)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckIndent(indent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxDepth);
        using KeyOrder order = KeyOrder.Scan(json, maxDepth);
        JsonEmitter.Emit(json, order, indent, output);
    }

    /// <summary>
    /// Serializes an array-rooted <paramref name="value"/> as DevRank writes <c>users.json</c>:
    /// <c>"[\n" + records.map(r =&gt; JSON.stringify(r)).join(",\n") + "\n]"</c>.
    /// </summary>
    /// <param name="stream">Where the document goes; not flushed or closed here.</param>
    /// <param name="value">The document; its JSON must be an array.</param>
    /// <param name="typeInfo">Its metadata, as for <see cref="Serialize{T}(Stream, T, JsonTypeInfo{T}, int)"/>.</param>
    /// <exception cref="JsonException">The value's JSON is not an array.</exception>
    public static void SerializeRecordPerLine<T>(Stream stream, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(typeInfo);
        int maxDepth = MaxDepthOf(typeInfo);
        using PooledBufferWriter compact = SerializeCompact(value, typeInfo, maxDepth);
        ReadOnlySpan<byte> json = compact.WrittenSpan;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"A store written one record per line must be a JSON array; {typeof(T).Name} is written as {reader.TokenType}.");
        }

        using var output = new StreamBufferWriter(stream);
        output.Write("[\n"u8);
        bool first = true;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            int start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (!first)
            {
                output.Write(",\n"u8);
            }

            first = false;
            Write(json[start..(int)reader.BytesConsumed], output, indent: 0, maxDepth);
        }

        output.Write("\n]"u8);
        output.Drain();
    }

    /// <summary>System.Text.Json's own depth limit, which the serializer also applies when its options say 0.</summary>
    private static int MaxDepthOf(JsonTypeInfo typeInfo) => typeInfo.Options.MaxDepth == 0 ? DefaultMaxDepth : typeInfo.Options.MaxDepth;

    /// <summary>
    /// The compact document in one pooled buffer, written with an encoder that escapes only what JSON requires and
    /// keeps lone surrogates (the rewrite escapes as JavaScript does). The caller disposes the buffer.
    /// </summary>
    private static PooledBufferWriter SerializeCompact<T>(T value, JsonTypeInfo<T> typeInfo, int maxDepth)
    {
        var compact = new PooledBufferWriter();
        try
        {
            // The serializer produces valid JSON by construction; the rewrite validates it again anyway.
            using var writer = new Utf8JsonWriter(compact, new JsonWriterOptions { Encoder = JsonTextEncoder.Instance, MaxDepth = maxDepth, SkipValidation = true });
            JsonSerializer.Serialize(writer, value, typeInfo);
        }
        catch
        {
            compact.Dispose();
            throw;
        }

        return compact;
    }

    private static void CheckIndent(int indent)
    {
        // JSON.stringify clamps, but a store configured with 12 meant something it would not get: say so.
        if (indent is < 0 or > MaxIndent)
        {
            throw new ArgumentOutOfRangeException(nameof(indent), indent, $"JSON.stringify indents by 0 to {MaxIndent} spaces.");
        }
    }
}
