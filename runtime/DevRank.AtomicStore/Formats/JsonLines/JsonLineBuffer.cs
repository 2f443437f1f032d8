using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>
/// Records serialized one JSON value per line, joined by <c>'\n'</c>, in one pooled buffer that grows to what it holds:
/// one record for a save (cleared after each), one append's records for an append. A byte is kept free on each side, so
/// that the separator before the lines and the newline after them go out in the same write.
/// </summary>
/// <remarks>
/// The writer never indents, whatever the serializer options say: a record is one line even from a context generated
/// with <c>WriteIndented</c>. A record that would break the format is refused before anything is written: JSON
/// <c>null</c> (which no read accepts) and a raw <c>'\n'</c>, which only a custom converter writing raw JSON can produce.
/// </remarks>
internal sealed class JsonLineBuffer : IBufferWriter<byte>, IDisposable
{
    private const int InitialSize = 16 * 1024;

    private readonly Utf8JsonWriter _writer;
    private readonly int _maxDepth;
    private readonly bool _javaScript;
    private byte[] _buffer = Allocate(InitialSize);
    private int _used = 1; // _buffer[0] is the separator's

    /// <param name="options">The record type's serializer options: their encoder and depth limit apply.</param>
    /// <param name="style">With a JavaScript style each record is what <c>JSON.stringify(record)</c> writes.</param>
    public JsonLineBuffer(JsonSerializerOptions options, JsonStyle style = JsonStyle.SystemTextJson)
    {
        _maxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth;
        _javaScript = style != JsonStyle.SystemTextJson;
        _writer = new Utf8JsonWriter(this, new JsonWriterOptions
        {
            // JavaScript's bytes: the serializer escapes only what JSON requires (keeping lone surrogates), the
            // rewrite below does the rest.
            Encoder = _javaScript ? JsonTextEncoder.Instance : options.Encoder,
            Indented = false,
            MaxDepth = _maxDepth,
        });
    }

    /// <summary>How many records the buffer holds.</summary>
    public int Count { get; private set; }

    /// <summary>Adds <paramref name="item"/> as the next line.</summary>
    /// <exception cref="UnwritableRecordException">It serializes to JSON null or to more than one line; the buffer must be discarded.</exception>
    public void Add<TItem>(TItem item, JsonTypeInfo<TItem> typeInfo)
    {
        if (Count > 0)
        {
            Reserve(1);
            _buffer[_used++] = JsonLine.NewLine;
        }

        int start = _used;
        _writer.Reset();
        JsonSerializer.Serialize(_writer, item, typeInfo);
        _writer.Flush();
        if (_javaScript)
        {
            // Rewritten in place of the serializer's text: copied out once, then written back as Node writes it.
            byte[] serialized = _buffer.AsSpan(start, _used - start).ToArray();
            _used = start;
            JavaScriptJson.Write(serialized, this, indent: 0, _maxDepth);
        }

        ReadOnlySpan<byte> record = _buffer.AsSpan(start, _used - start);
        if (record.SequenceEqual("null"u8))
        {
            throw new UnwritableRecordException($"a record of type {typeof(TItem).FullName} serializes to JSON null, which no read of a JSON Lines store accepts");
        }

        if (record.Contains(JsonLine.NewLine))
        {
            throw new UnwritableRecordException($"a record of type {typeof(TItem).FullName} serializes to more than one line (a custom converter writing raw JSON with a line break?), which would split it into two records");
        }

        Count++;
    }

    /// <summary>The records, joined by <c>'\n'</c>, with a <c>'\n'</c> before and after them as asked.</summary>
    public ReadOnlySpan<byte> Lines(bool newlineBefore, bool newlineAfter)
    {
        Reserve(1);
        _buffer[0] = JsonLine.NewLine;
        _buffer[_used] = JsonLine.NewLine;
        int start = newlineBefore ? 0 : 1;
        return _buffer.AsSpan(start, _used - start + (newlineAfter ? 1 : 0));
    }

    /// <summary>Empties the buffer for the next record; a buffer grown for a huge record goes back to the initial size.</summary>
    public void Clear()
    {
        _used = 1;
        Count = 0;
        if (_buffer.Length > StoreDefaults.PooledBufferLimit)
        {
            _buffer = Allocate(InitialSize);
        }
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _used)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _used += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(Math.Max(sizeHint, 1));
        return _buffer.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(Math.Max(sizeHint, 1));
        return _buffer.AsSpan(_used);
    }

    public void Dispose()
    {
        _writer.Dispose();
        byte[] buffer = _buffer;
        _buffer = [];
        Free(buffer);
    }

    private void Reserve(int size)
    {
        if (_buffer.Length - _used >= size)
        {
            return;
        }

        // Doubling: the buffer follows the largest append (or record), never more than twice that.
        byte[] next = Allocate((int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)_used + size)));
        _buffer.AsSpan(0, _used).CopyTo(next);
        Free(_buffer);
        _buffer = next;
    }

    // As JsonStreaming's chunks: pooled up to the limit, a plain array above, so a huge record leaves nothing in the pool.
    private static byte[] Allocate(int length) =>
        length <= StoreDefaults.PooledBufferLimit ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    private static void Free(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= StoreDefaults.PooledBufferLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>A record that cannot be one line of a JSON Lines file; the store turns it into the typed error of the operation.</summary>
internal sealed class UnwritableRecordException(string problem, bool isNull = false) : Exception(problem)
{
    /// <summary>The collection itself held null: the caller's argument is wrong, not the type's serialization.</summary>
    public bool IsNull { get; } = isNull;
}
