using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.Sample.Stores;

/// <summary>
/// <c>users.json</c> as DevRank writes it: a JSON array with one compact record per line, <c>[\n{...},\n{...}\n]</c>,
/// so a diff shows one line per changed user and line-oriented tools (grep, head, wc -l) work on it.
/// CR LF and other control characters are escaped, so every record stays on its line.
/// <para>
/// Non-ASCII text (CJK names, emoji) is written as <c>\uXXXX</c> escapes, System.Text.Json's default, so the file is
/// pure ASCII. That is deliberate: the runtime's streamed read of files over 1 MiB rejects valid UTF-8 when a
/// multi-byte character straddles two reads (see docs/sample.md, "Runtime issue"), and an ASCII file cannot hit it.
/// </para>
/// </summary>
internal sealed class UsersConverter : JsonConverter<Users>
{
    private static readonly JsonWriterOptions RecordWriterOptions = new() { Indented = false };

    public override Users Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"users.json must be a JSON array of user records, not {reader.TokenType}");
        }

        JsonTypeInfo<UserRecord> record = RecordInfo(options);
        var users = new Users();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            UserRecord user = JsonSerializer.Deserialize(ref reader, record)
                ?? throw new JsonException($"users.json record {users.Count} is null");
            if (string.IsNullOrWhiteSpace(user.Login))
            {
                throw new JsonException($"users.json record {users.Count} has an empty login (\"l\")");
            }

            users.Add(user);
        }

        return users;
    }

    public override void Write(Utf8JsonWriter writer, Users value, JsonSerializerOptions options)
    {
        JsonTypeInfo<UserRecord> record = RecordInfo(options);
        var line = new ArrayBufferWriter<byte>(512);
        using var recordWriter = new Utf8JsonWriter(line, RecordWriterOptions);
        writer.WriteStartArray();
        for (int i = 0; i < value.Count; i++)
        {
            line.ResetWrittenCount();
            line.Write("\n"u8);
            recordWriter.Reset(line);
            JsonSerializer.Serialize(recordWriter, value[i], record);
            recordWriter.Flush();
            if (i == value.Count - 1)
            {
                line.Write("\n"u8);
            }

            // The writer adds the comma between values; the leading "\n" puts each record on its own line and the
            // last one's trailing "\n" puts the closing bracket on its own.
            writer.WriteRawValue(line.WrittenSpan, skipInputValidation: true);
        }

        writer.WriteEndArray();
    }

    private static JsonTypeInfo<UserRecord> RecordInfo(JsonSerializerOptions options) =>
        (JsonTypeInfo<UserRecord>)options.GetTypeInfo(typeof(UserRecord));
}

/// <summary>An organisation as DevRank stores it: <c>["login", id]</c>.</summary>
internal sealed class OrganisationConverter : JsonConverter<Organisation>
{
    public override Organisation Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray
            || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("an organisation must be [\"login\", id]");
        }

        string login = reader.GetString()!;
        if (!reader.Read())
        {
            throw new JsonException("an organisation must be [\"login\", id]");
        }

        long? id = reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetInt64(),
            JsonTokenType.Null => null,
            _ => throw new JsonException("an organisation's id must be a number or null"),
        };
        if (!reader.Read() || reader.TokenType != JsonTokenType.EndArray)
        {
            throw new JsonException("an organisation must be [\"login\", id] with nothing after the id");
        }

        return new Organisation(login, id);
    }

    public override void Write(Utf8JsonWriter writer, Organisation value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.Login);
        if (value.Id is { } id)
        {
            writer.WriteNumberValue(id);
        }
        else
        {
            writer.WriteNullValue();
        }

        writer.WriteEndArray();
    }
}

/// <summary>
/// ISO-8601 times as DevRank writes them: UTC with a <c>Z</c> (<c>2024-05-01T12:00:00.123Z</c>) rather than
/// System.Text.Json's <c>+00:00</c>. Reads any ISO-8601 form with an offset; a time without one is taken as UTC.
/// </summary>
internal sealed class IsoTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"expected an ISO-8601 time string, not {reader.TokenType}");
        }

        if (reader.TryGetDateTimeOffset(out DateTimeOffset value))
        {
            return value;
        }

        string text = reader.GetString()!;
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
            ? value
            : throw new JsonException($"'{text}' is not an ISO-8601 time");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        if (value.Offset == TimeSpan.Zero)
        {
            writer.WriteStringValue(value.UtcDateTime);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
