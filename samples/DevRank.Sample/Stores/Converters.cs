using System.Text.Json;
using System.Text.Json.Serialization;

namespace DevRank.Sample.Stores;

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
