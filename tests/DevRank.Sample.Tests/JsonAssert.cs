using System.Text.Json;

namespace DevRank.Sample.Tests;

/// <summary>
/// Semantic JSON equality: same keys (any order in an object), same values, same order in arrays. Two strings that
/// are both ISO-8601 times are equal when they are the same instant (<c>...Z</c> and <c>...+00:00</c>, trailing zero
/// fractions): the stores hold times as DateTimeOffset, not as text.
/// </summary>
internal static class JsonAssert
{
    public static void Equivalent(string expectedJson, string actualJson)
    {
        using JsonDocument expected = JsonDocument.Parse(expectedJson);
        using JsonDocument actual = JsonDocument.Parse(actualJson);
        Compare(expected.RootElement, actual.RootElement, "$");
    }

    private static void Compare(JsonElement expected, JsonElement actual, string path)
    {
        if (expected.ValueKind == JsonValueKind.String && actual.ValueKind == JsonValueKind.String
            && expected.TryGetDateTimeOffset(out DateTimeOffset e) && actual.TryGetDateTimeOffset(out DateTimeOffset a))
        {
            Assert.True(e == a, $"{path}: expected the time {expected.GetString()}, got {actual.GetString()}");
            return;
        }

        Assert.True(expected.ValueKind == actual.ValueKind, $"{path}: expected {expected.ValueKind}, got {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                string[] expectedKeys = [.. expected.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
                string[] actualKeys = [.. actual.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
                Assert.True(expectedKeys.SequenceEqual(actualKeys), $"{path}: expected keys [{string.Join(", ", expectedKeys)}], got [{string.Join(", ", actualKeys)}]");
                foreach (JsonProperty property in expected.EnumerateObject())
                {
                    Compare(property.Value, actual.GetProperty(property.Name), path + "." + property.Name);
                }

                break;
            case JsonValueKind.Array:
                Assert.True(expected.GetArrayLength() == actual.GetArrayLength(), $"{path}: expected {expected.GetArrayLength()} items, got {actual.GetArrayLength()}");
                for (int i = 0; i < expected.GetArrayLength(); i++)
                {
                    Compare(expected[i], actual[i], $"{path}[{i}]");
                }

                break;
            case JsonValueKind.String:
                Assert.True(expected.GetString() == actual.GetString(), $"{path}: expected \"{expected.GetString()}\", got \"{actual.GetString()}\"");
                break;
            case JsonValueKind.Number:
                Assert.True(expected.GetRawText() == actual.GetRawText(), $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}");
                break;
        }
    }
}
