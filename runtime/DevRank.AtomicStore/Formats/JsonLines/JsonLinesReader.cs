using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// Streams the records of a JSON Lines file one at a time: memory is one buffer that grows to the longest line
/// (pooled up to <see cref="StoreDefaults.PooledBufferLimit"/>), never the file. Every way a line can be bad is a typed
/// error naming the file and the line; only a torn tail (<see cref="JsonLine.IsTorn"/>) is skipped, and kept in
/// <see cref="Tail"/> for the store to report. Opening (links, FIFOs, folders) is <see cref="StoreFileReader"/>'s.
/// </summary>
internal sealed class JsonLinesReader<TItem> : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private readonly JsonTypeInfo<TItem> _typeInfo;
    private byte[] _buffer = StoreFileReader.Rent(ChunkSize);
    private int _start;   // the first byte not yet taken
    private int _end;     // the end of what was read
    private int _scanned; // _start up to here holds no '\n'
    private long _offset; // the file offset of _buffer[_start]
    private long _line;   // zero-based number of the next line
    private bool _eof;

    private JsonLinesReader(SafeFileHandle handle, string path, JsonTypeInfo<TItem> typeInfo)
    {
        _handle = handle;
        _path = path;
        _typeInfo = typeInfo;
    }

    /// <summary>The torn tail the reader skipped, once it has reached the end; null when there was none.</summary>
    public JsonLinesTail? Tail { get; private set; }

    /// <summary>Opens the file; null only when it does not exist.</summary>
    /// <exception cref="StoreLoadException">It cannot be opened (see <see cref="StoreFileReader.OpenInFolder"/>).</exception>
    public static JsonLinesReader<TItem>? Open(string path, JsonTypeInfo<TItem> typeInfo) =>
        StoreFileReader.OpenInFolder(path) is { } handle ? new JsonLinesReader<TItem>(handle, path, typeInfo) : null;

    /// <summary>The next record; false at the end of the file.</summary>
    public bool TryRead([MaybeNullWhen(false)] out TItem item)
    {
        while (!TryNextRecord(out item))
        {
            if (_eof)
            {
                return false;
            }

            Memory<byte> room = MakeRoom();
            int read;
            try
            {
                read = RandomAccess.Read(_handle, room.Span, ReadOffset);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw StoreFileReader.Unreadable(_path, ex);
            }

            Filled(read);
        }

        return true;
    }

    /// <summary>The next record, reading asynchronously; (false, default) at the end of the file.</summary>
    public async ValueTask<(bool Found, TItem Item)> ReadAsync(CancellationToken cancellationToken)
    {
        TItem? item;
        while (!TryNextRecord(out item))
        {
            if (_eof)
            {
                return (false, default!);
            }

            Memory<byte> room = MakeRoom();
            int read;
            try
            {
                read = await RandomAccess.ReadAsync(_handle, room, ReadOffset, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw StoreFileReader.Unreadable(_path, ex);
            }

            Filled(read);
        }

        return (true, item);
    }

    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            StoreFileReader.Return(buffer);
        }

        _handle.Dispose();
    }

    private long ReadOffset => _offset + (_end - _start);

    /// <summary>The next record among the lines already read; false when more must be read (or the file has ended).</summary>
    private bool TryNextRecord([MaybeNullWhen(false)] out TItem item)
    {
        while (TakeLine(out int from, out int to, out long offset, out bool terminated))
        {
            if (Record(_buffer.AsSpan(from, to - from), offset, terminated, out item))
            {
                return true;
            }
        }

        item = default;
        return false;
    }

    /// <summary>The next whole line (without its '\n'), or at the end of the file the unterminated rest.</summary>
    private bool TakeLine(out int from, out int to, out long offset, out bool terminated)
    {
        from = _start;
        offset = _offset;
        int found = _buffer.AsSpan(_scanned, _end - _scanned).IndexOf(JsonLine.NewLine);
        if (found >= 0)
        {
            to = _scanned + found;
            terminated = true;
            _start = _scanned = to + 1;
            _offset += _start - from;
            return true;
        }

        _scanned = _end;
        to = _end;
        terminated = false;
        if (_eof && _start < _end)
        {
            _start = _end;
            _offset += to - from;
            return true;
        }

        return false;
    }

    /// <summary>Room to read into: the unfinished line moved to the front, the buffer doubled when the line fills it.</summary>
    private Memory<byte> MakeRoom()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _scanned -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            int larger = (int)Math.Min(Array.MaxLength, (long)_buffer.Length * 2);
            if (larger == _buffer.Length)
            {
                throw new StoreCorruptException(_path, $"a line is longer than {Array.MaxLength} bytes, more than one buffer can hold", _line);
            }

            byte[] next = StoreFileReader.Rent(larger);
            _buffer.AsSpan(0, _end).CopyTo(next);
            StoreFileReader.Return(_buffer);
            _buffer = next;
        }

        return _buffer.AsMemory(_end);
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    /// <summary>The record of one line; false for a blank line or the torn tail.</summary>
    private bool Record(ReadOnlySpan<byte> line, long offset, bool terminated, [MaybeNullWhen(false)] out TItem item)
    {
        long number = _line++;
        item = default;
        long length = line.Length;
        line = JsonLine.WithoutBom(line, offset);
        if (JsonLine.IsBlank(line))
        {
            return false;
        }

        if (!terminated && JsonLine.IsTorn(line, _typeInfo.Options))
        {
            // The only line that may be skipped: the final one, unterminated and not one whole value.
            Tail = new JsonLinesTail(_path, offset, length, truncated: false);
            return false;
        }

        item = Parse(line, number, (int)(length - line.Length));
        return true;
    }

    private TItem Parse(ReadOnlySpan<byte> line, long number, int bom)
    {
        if (!System.Text.Unicode.Utf8.IsValid(line))
        {
            throw new StoreCorruptException(_path, "the line is not valid UTF-8", number, bom + FirstInvalidUtf8(line));
        }

        TItem? value;
        try
        {
            value = JsonSerializer.Deserialize(line, _typeInfo);
        }
        catch (Exception ex) when (JsonConfiguration.IsContentError(ex))
        {
            throw Corrupt(ex, number, bom);
        }
        catch (Exception ex) when (JsonConfiguration.IsConfigurationError(ex))
        {
            // The type could not even be tried on the line; the line can still be plainly broken JSON.
            throw JsonConfiguration.SyntaxError(line, _typeInfo.Options) is { } syntax
                ? Corrupt(syntax, number, bom)
                : JsonConfiguration.LoadError(_path, _typeInfo, ex, wellFormed: true);
        }

        return value ?? throw new StoreCorruptException(_path, "the record is JSON null, not a value of the store's item type", number, bom);
    }

    private StoreCorruptException Corrupt(Exception ex, long number, int bom) => ex is JsonException json
        ? new StoreCorruptException(_path, JsonDocumentReader.WithoutPosition(json.Message), number, bom + json.BytePositionInLine, json.Path, json)
        : new StoreCorruptException(_path, ex.Message, number, innerException: ex);

    // Error path only: where the line stops being UTF-8, for the message.
    private static int FirstInvalidUtf8(ReadOnlySpan<byte> line)
    {
        int at = 0;
        while (at < line.Length && Rune.DecodeFromUtf8(line[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            at += consumed;
        }

        return at;
    }
}
