using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// A write-only, forward-only stream over the temp file's handle: positional writes, nothing else. For writers that
/// hand over large chunks themselves (the stores' serializers); <see cref="FileStream"/> would add a strategy, a
/// buffer we do not use and two <c>lseek</c> calls to learn a position that is always 0.
/// </summary>
internal sealed class TempFileStream(SafeFileHandle handle) : Stream
{
    private long _position;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        RandomAccess.Write(handle, buffer, _position);
        _position += buffer.Length;
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        long position = _position;
        _position += buffer.Length;
        await RandomAccess.WriteAsync(handle, buffer, position, cancellationToken).ConfigureAwait(false);
    }

    // Nothing is buffered here: every write has reached the OS when it returns. The fsync is the commit's job.
    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
