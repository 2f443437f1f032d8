using System.Text.Json.Serialization;

namespace DevRank.AtomicStore.Tests;

/// <summary>A plain document, in a context generated for serialization only (no metadata to deserialize it).</summary>
public sealed record Note(string Title, int Stars);

[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(List<Note>))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, int>))]
internal sealed partial class SerializeOnlyJson : JsonSerializerContext;

/// <summary>A constructor parameter (<c>name</c>) that matches no property (<c>Title</c>).</summary>
public sealed class MismatchedConstructor
{
    public MismatchedConstructor(string name) => Title = name;

    public string Title { get; }
}

/// <summary>Two public constructors, none marked [JsonConstructor].</summary>
public sealed class TwoConstructors
{
    public TwoConstructors(string title) => Title = title;

    public TwoConstructors(string title, int stars)
    {
        Title = title;
        Stars = stars;
    }

    public string Title { get; }

    public int Stars { get; }
}

[JsonSerializable(typeof(Note))]
[JsonSerializable(typeof(MismatchedConstructor))]
[JsonSerializable(typeof(TwoConstructors))]
internal sealed partial class ConfigurationJson : JsonSerializerContext;

/// <summary>A member System.Text.Json refuses to serialize whatever the metadata.</summary>
public sealed record WithTypeMember(string Name, Type? Kind);
