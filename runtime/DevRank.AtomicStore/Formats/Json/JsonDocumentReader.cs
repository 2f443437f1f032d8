using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// Parses a store file that holds one JSON document, once, and turns every way that can fail into a typed error: bad
/// content is <see cref="StoreCorruptException"/>, a type the metadata cannot read is
/// <see cref="StoreConfigurationException"/>. Opening and reading are <see cref="StoreFileReader"/>'s.
/// </summary>
internal static class JsonDocumentReader
{
    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>Loads the file; false only when it does not exist.</summary>
    public static bool TryRead<T>(string path, JsonTypeInfo<T> typeInfo, out T value)
    {
        using SafeFileHandle? handle = StoreFileReader.OpenInFolder(path);
        if (handle is null)
        {
            value = default!;
            return false;
        }

        long length = StoreFileReader.Length(handle, path);
        if (length <= StoreDefaults.WholeReadLimit)
        {
            byte[] buffer = StoreFileReader.Rent((int)length);
            try
            {
                int read = StoreFileReader.ReadAll(handle, path, buffer.AsSpan(0, (int)length));
                value = Parse(path, buffer.AsSpan(0, read), typeInfo);
                return true;
            }
            finally
            {
                StoreFileReader.Return(buffer);
            }
        }

        using var stream = new Utf8ValidatingStream(new FileStream(handle, FileAccess.Read, bufferSize: 0));
        value = Checked(path, Deserialize(path, typeInfo, () => JsonSerializer.Deserialize(stream, typeInfo)));
        return true;
    }

    /// <summary>Loads the file asynchronously; (false, default) only when it does not exist.</summary>
    public static async ValueTask<(bool Found, T Value)> TryReadAsync<T>(string path, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using SafeFileHandle? handle = StoreFileReader.OpenInFolder(path);
        if (handle is null)
        {
            return (false, default!);
        }

        long length = StoreFileReader.Length(handle, path);
        if (length <= StoreDefaults.WholeReadLimit)
        {
            byte[] buffer = StoreFileReader.Rent((int)length);
            try
            {
                int read = await StoreFileReader.ReadAllAsync(handle, path, buffer.AsMemory(0, (int)length), cancellationToken).ConfigureAwait(false);
                return (true, Parse(path, buffer.AsSpan(0, read), typeInfo));
            }
            finally
            {
                StoreFileReader.Return(buffer);
            }
        }

        await using var stream = new Utf8ValidatingStream(new FileStream(handle, FileAccess.Read, bufferSize: 0));
        T? value;
        try
        {
            value = await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (StreamedFailure(path, typeInfo, ex) is { } failure)
        {
            throw failure;
        }

        return (true, Checked(path, value));
    }

    private static T Parse<T>(string path, ReadOnlySpan<byte> utf8, JsonTypeInfo<T> typeInfo)
    {
        // Editors on Windows add a BOM; the span reader does not skip it as the stream reader does.
        if (utf8.StartsWith(Utf8Bom))
        {
            utf8 = utf8[Utf8Bom.Length..];
        }

        if (utf8.IsEmpty)
        {
            throw new StoreCorruptException(path, "the file is empty (0 bytes of JSON)");
        }

        if (!utf8.ContainsAnyExcept((byte)0))
        {
            throw new StoreCorruptException(path, $"the file holds only NUL bytes ({utf8.Length} bytes), which is what a crash during a non-atomic, in-place write leaves behind");
        }

        if (!System.Text.Unicode.Utf8.IsValid(utf8))
        {
            throw new StoreCorruptException(path, "the file is not valid UTF-8");
        }

        T? value;
        try
        {
            value = JsonSerializer.Deserialize(utf8, typeInfo);
        }
        catch (Exception ex) when (JsonConfiguration.IsContentError(ex))
        {
            throw Corrupt(path, ex);
        }
        catch (Exception ex) when (JsonConfiguration.IsConfigurationError(ex))
        {
            // The type could not even be tried on the content; the content can still be plainly broken JSON.
            throw JsonConfiguration.SyntaxError(utf8, typeInfo.Options) is { } syntax
                ? Corrupt(path, syntax)
                : JsonConfiguration.LoadError(path, typeInfo, ex, wellFormed: true);
        }

        return Checked(path, value);
    }

    private static T? Deserialize<T>(string path, JsonTypeInfo<T> typeInfo, Func<T?> deserialize)
    {
        try
        {
            return deserialize();
        }
        catch (Exception ex) when (StreamedFailure(path, typeInfo, ex) is { } failure)
        {
            throw failure;
        }
    }

    /// <summary>
    /// What a failure of a streamed load (sync or async) means: bad content, a type the metadata cannot read (the
    /// content unjudged), or a read error; null for anything else, which propagates as it is.
    /// </summary>
    private static Exception? StreamedFailure<T>(string path, JsonTypeInfo<T> typeInfo, Exception ex)
    {
        if (JsonConfiguration.IsContentError(ex))
        {
            return Corrupt(path, ex);
        }

        if (JsonConfiguration.IsConfigurationError(ex))
        {
            return JsonConfiguration.LoadError(path, typeInfo, ex, wellFormed: false);
        }

        return ex is IOException or UnauthorizedAccessException ? StoreFileReader.Unreadable(path, ex) : null;
    }

    public static T Checked<T>(string path, T? value) =>
        value ?? throw new StoreCorruptException(path, "the document is JSON null, not a value of the store's type");

    public static StoreCorruptException Corrupt(string path, Exception ex)
    {
        if (ex is JsonException json)
        {
            return new StoreCorruptException(path, WithoutPosition(json.Message), json.LineNumber, json.BytePositionInLine, json.Path, json);
        }

        return new StoreCorruptException(path, ex.Message, innerException: ex);
    }

    internal static string WithoutPosition(string message)
    {
        // System.Text.Json appends " Path: $ | LineNumber: 0 | BytePositionInLine: 1."; we report those ourselves.
        int at = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (at > 0 ? message[..at] : message).TrimEnd('.', ' ');
    }
}
