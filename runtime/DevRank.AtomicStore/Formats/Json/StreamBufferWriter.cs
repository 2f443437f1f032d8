using System.Buffers;

namespace DevRank.AtomicStore;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> that hands a stream whole pages from one pooled 64 KiB chunk, so that every
/// write to a temp file but the last starts and ends on a page boundary (see <see cref="TempFileStream"/>).
/// </summary>
internal sealed class StreamBufferWriter(Stream stream) : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
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

    // Reserve first, then read _buffer: `_buffer.AsMemory(Reserve(...))` reads the field before Reserve swaps in a
    // bigger array, and slices the old one.
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        int offset = Reserve(sizeHint);
        return _buffer.AsMemory(offset);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        int offset = Reserve(sizeHint);
        return _buffer.AsSpan(offset);
    }

    /// <summary>Writes everything still buffered: the end of the document.</summary>
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
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Reserve(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_buffer.Length - _used >= sizeHint)
        {
            return _used;
        }

        // Our callers never ask for more than a few bytes at once (JsonOutput.MaxReservation); a chunk always holds that.
        if (sizeHint > ChunkSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(sizeHint), sizeHint, "Asks for more than this writer gives at once.");
        }

        // Whole pages go; the tail (less than a page) moves to the front and the next chunk continues it.
        int whole = TempFileStream.WholePages(_used);
        if (whole == 0)
        {
            // Pages as large as the chunk (64 KiB pages exist): alignment cannot be had, progress must.
            whole = _used;
        }

        stream.Write(_buffer, 0, whole);
        _used -= whole;
        _buffer.AsSpan(whole, _used).CopyTo(_buffer);
        return _used;
    }
}
