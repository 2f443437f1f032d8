using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevRank.AtomicStore;

/// <summary>
/// Reads and writes an <see cref="IsoTimestamp"/> as a JSON string, keeping its text. Named on the struct with
/// <c>[JsonConverter]</c>, so reflection and source-generated contexts both use it without being told.
/// </summary>
public sealed class IsoTimestampConverter : JsonConverter<IsoTimestamp>
{
    /// <summary>Longer than any accepted form (35 characters); longer text is refused without being read.</summary>
    private const int MaxLength = 64;

    /// <summary>Reads a JSON string holding an ISO 8601 timestamp.</summary>
    /// <exception cref="JsonException">The token is not a string, or the string is not an accepted timestamp.</exception>
    public override IsoTimestamp Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
            ? ReadText(ref reader)
            : throw new JsonException($"Expected an ISO 8601 timestamp as a JSON string, not {reader.TokenType}.");

    /// <summary>Writes the timestamp's text.</summary>
    public override void Write(Utf8JsonWriter writer, IsoTimestamp value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.TextSpan(stackalloc char[IsoTimestamp.IsoLength]));
    }

    /// <summary>Reads a property name holding an ISO 8601 timestamp (a dictionary keyed by time).</summary>
    /// <exception cref="JsonException">The name is not an accepted timestamp.</exception>
    public override IsoTimestamp ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadText(ref reader);

    /// <summary>Writes the timestamp's text as a property name.</summary>
    public override void WriteAsPropertyName(Utf8JsonWriter writer, IsoTimestamp value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WritePropertyName(value.TextSpan(stackalloc char[IsoTimestamp.IsoLength]));
    }

    private static IsoTimestamp ReadText(ref Utf8JsonReader reader)
    {
        long length = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (length > MaxLength)
        {
            throw new JsonException($"Expected an ISO 8601 timestamp, not a string of {length} bytes.");
        }

        // Escapes only shorten the text: the chars fit where the bytes did.
        Span<char> text = stackalloc char[MaxLength];
        int read = reader.CopyString(text);
        return IsoTimestamp.TryParse(text[..read], kept: null, out IsoTimestamp timestamp)
            ? timestamp
            : throw new JsonException($"'{text[..read]}' is not an ISO 8601 timestamp with a zone (such as 2026-02-08T14:51:11.630Z) in the years 0001 to 9999.");
    }
}
