using System.Buffers;

namespace DevRank.AtomicStore;

/// <summary>
/// A buffer that is written to the stream whenever its writer needs more room than is left: one pooled 64 KiB chunk,
/// handed over in whole pages (every write to a temp file but the last starts and ends on a page boundary, see
/// <see cref="TempFileStream"/>), grown only for a token larger than that (a huge string), and then only beyond the
/// pool. What both JSON writers (<see cref="JsonStreaming"/>, <see cref="JavaScriptJson"/>) write through.
/// </summary>
internal sealed class StreamBufferWriter(Stream stream) : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = JsonStreaming.ChunkSize;

    private byte[] _buffer = Allocate(ChunkSize);
    private int _used;

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count > _buffer.Length - _used)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _used += count;
    }

    // Reserve first, then read _buffer: Reserve may swap in a bigger array, and `_buffer.AsMemory(Reserve(...))`
    // would slice the old one (already back in the pool).
    // At most a chunk (or the size asked for): Utf8JsonWriter fills all it is given before it asks again, and would
    // otherwise gather the rest of the document in a buffer grown for one huge token.
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int offset = Reserve(sizeHint);
        return _buffer.AsMemory(offset, Available(offset, sizeHint));
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int offset = Reserve(sizeHint);
        return _buffer.AsSpan(offset, Available(offset, sizeHint));
    }

    /// <summary>Writes everything buffered to the stream: the end of the document.</summary>
    public void Drain()
    {
        if (_used > 0)
        {
            stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        Free(buffer);
    }

    private int Available(int offset, int sizeHint) => Math.Min(_buffer.Length - offset, Math.Max(sizeHint, ChunkSize));

    /// <summary>
    /// Pooled up to <see cref="StoreDefaults.PooledBufferLimit"/>, a plain array above: the shared pool keeps
    /// what it is given, and a 512 MiB buffer for one 100-million-character string stayed there after the save.
    /// Uninitialized, as the pool's own arrays are: only the pages the token fills are ever touched.
    /// </summary>
    private static byte[] Allocate(int length) =>
        length <= StoreDefaults.PooledBufferLimit ? ArrayPool<byte>.Shared.Rent(length) : GC.AllocateUninitializedArray<byte>(length);

    private static void Free(byte[] buffer)
    {
        if (buffer.Length is > 0 and <= StoreDefaults.PooledBufferLimit)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        // The common case: room left, and no more than a chunk gathered (only a grown buffer holds more).
        if (_buffer.Length - _used >= sizeHint && _used < ChunkSize)
        {
            return _used;
        }

        // Everything before _used was committed by Advance: the writer never reads it again. Hand over whole
        // pages only and keep the tail (less than a page) for the next chunk, so that every write to the file
        // but the last starts and ends on a page boundary (see TempFileStream).
        int whole = TempFileStream.WholePages(_used);
        if (whole > 0)
        {
            stream.Write(_buffer, 0, whole);
            _used -= whole;
            _buffer.AsSpan(whole, _used).CopyTo(_buffer);
        }

        int needed = _used + sizeHint;
        if (_buffer.Length < needed || (_buffer.Length > ChunkSize && needed <= ChunkSize))
        {
            // Grow for one token larger than a chunk; once it is written, back to a chunk, so that the rest of
            // the document is not gathered in the big buffer and the big buffer is garbage before the save ends.
            byte[] next = Allocate(Math.Max(needed, ChunkSize));
            _buffer.AsSpan(0, _used).CopyTo(next);
            Free(_buffer);
            _buffer = next;
        }

        return _used;
    }
}
