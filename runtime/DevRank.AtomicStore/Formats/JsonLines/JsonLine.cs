using System.Buffers;
using System.Text.Json;

namespace DevRank.AtomicStore;

/// <summary>
/// What a line of a JSON Lines file is, in the one place that decides it for reads, loads and appends: blank (no
/// record), a record, or — only as the final, unterminated line — a torn tail.
/// </summary>
internal static class JsonLine
{
    /// <summary>The separator, and the terminator when the store writes a final newline.</summary>
    public const byte NewLine = (byte)'\n';

    // JSON's own whitespace: a line of only these holds no value, and "\r\n" endings leave a '\r' that parses as one.
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    public static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <summary>
    /// A line holding nothing but whitespace: skipped by reads (other tools leave empty lines), never written by the
    /// store.
    /// </summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => !line.ContainsAnyExcept(Whitespace);

    /// <summary>
    /// True when <paramref name="line"/>, the file's final line without a '\n', is not one whole JSON value (or not
    /// UTF-8): the beginning of an append that a crash cut off. Judged by syntax alone, with the store's reader options,
    /// so that a whole value the type then rejects is reported as corrupt, never dropped.
    /// </summary>
    public static bool IsTorn(ReadOnlySpan<byte> line, JsonSerializerOptions options) =>
        !System.Text.Unicode.Utf8.IsValid(line) || JsonConfiguration.SyntaxError(line, options) is not null;

    /// <summary><paramref name="line"/> without a UTF-8 byte order mark, which only the file's first line may start with.</summary>
    public static ReadOnlySpan<byte> WithoutBom(ReadOnlySpan<byte> line, long offset) =>
        offset == 0 && line.StartsWith(Utf8Bom) ? line[Utf8Bom.Length..] : line;
}
