using System.Text;

namespace DevRank.AtomicStore;

/// <summary>
/// A read-only pass-through that fails on invalid UTF-8. System.Text.Json only validates the text it decodes, so a
/// broken byte inside a skipped value would otherwise load silently; a store file must be valid UTF-8 throughout.
/// </summary>
internal sealed class Utf8ValidatingStream(Stream inner) : Stream
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private readonly char[] _scratch = new char[4096];
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        Validate(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Validate(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Validate(ReadOnlySpan<byte> chunk)
    {
        // Convert, not GetCharCount: only Convert carries a sequence split across two reads over to the next one
        // (GetCharCount leaves the decoder's state alone). An empty read is the end: flush catches a sequence cut
        // off by EOF.
        bool end = chunk.IsEmpty;
        try
        {
            do
            {
                _decoder.Convert(chunk, _scratch, flush: end, out int used, out _, out _);
                chunk = chunk[used..];
                _position += used;
            }
            while (!chunk.IsEmpty);
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException($"the file is not valid UTF-8 (an invalid byte sequence near byte offset {_position + Math.Max(0, ex.Index)})", ex);
        }
    }
}
