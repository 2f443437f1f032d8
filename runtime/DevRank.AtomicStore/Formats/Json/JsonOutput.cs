using System.Buffers;

namespace DevRank.AtomicStore;

/// <summary>
/// The span a writer fills, taken from an <see cref="IBufferWriter{T}"/> and handed back only when more room is
/// needed: one interface call per span rather than per byte.
/// </summary>
internal ref struct JsonOutput
{
    /// <summary>The most any single reservation asks for: a number, an escape, an indentation step.</summary>
    public const int MaxReservation = 64;

    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _used;

    public JsonOutput(IBufferWriter<byte> writer)
    {
        _writer = writer;
        _span = writer.GetSpan(MaxReservation);
        _used = 0;
    }

    /// <summary>At least <paramref name="length"/> (at most <see cref="MaxReservation"/>) free bytes; commit them with <see cref="Advance"/>.</summary>
    public Span<byte> Reserve(int length)
    {
        if (_span.Length - _used < length)
        {
            Renew(length);
        }

        return _span[_used..];
    }

    public void Advance(int length) => _used += length;

    public void Write(byte value)
    {
        if (_used == _span.Length)
        {
            Renew(1);
        }

        _span[_used++] = value;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            int n = Math.Min(bytes.Length, _span.Length - _used);
            bytes[..n].CopyTo(_span[_used..]);
            _used += n;
            bytes = bytes[n..];
            if (bytes.IsEmpty)
            {
                return;
            }

            // Large runs (a long string) go through in as many spans as the writer gives, never one huge request.
            Renew(1);
        }
    }

    /// <summary><paramref name="count"/> copies of <paramref name="value"/> (indentation).</summary>
    public void Repeat(byte value, int count)
    {
        while (count > 0)
        {
            int n = Math.Min(count, MaxReservation);
            Reserve(n)[..n].Fill(value);
            _used += n;
            count -= n;
        }
    }

    /// <summary>Commits what was written to the underlying writer; call once, at the end.</summary>
    public void Complete()
    {
        _writer.Advance(_used);
        _used = 0;
        _span = default;
    }

    private void Renew(int length)
    {
        _writer.Advance(_used);
        _used = 0;
        _span = _writer.GetSpan(Math.Max(length, MaxReservation));
    }
}
