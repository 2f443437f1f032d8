using System.Buffers;

namespace DevRank.AtomicStore;

/// <summary>
/// A growable buffer for one whole document: pooled up to <see cref="StoreDefaults.PooledBufferLimit"/>, a
/// plain array above it, which is garbage once the save returns (the shared pool keeps what it is given for the life
/// of the process).
/// </summary>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int InitialSize = 64 * 1024;

    private byte[] _buffer = Allocate(InitialSize);
    private int _used;

    /// <summary>What was written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _used);

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

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _used = 0;
        Free(buffer);
    }

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
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _used < sizeHint)
        {
            // Doubling keeps the copies to about the document's size in all.
            long wanted = Math.Max((long)_used + sizeHint, 2L * _buffer.Length);
            int length = (int)Math.Min(wanted, Array.MaxLength);
            if (length - _used < sizeHint)
            {
                throw new InvalidOperationException("The document is larger than one array can hold (2 GiB).");
            }

            byte[] next = Allocate(length);
            _buffer.AsSpan(0, _used).CopyTo(next);
            Free(_buffer);
            _buffer = next;
        }

        return _used;
    }
}
