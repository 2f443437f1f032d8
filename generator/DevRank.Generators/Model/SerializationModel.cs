using DevRank.Generators.Runtime;

namespace DevRank.Generators.Model;

/// <summary>How a store turns its type into bytes.</summary>
/// <param name="JsonContext">
/// The user's <c>JsonSerializerContext</c> as written in generated code (<c>global::Demo.DemoJson</c>), or null to
/// serialize by reflection.
/// </param>
/// <param name="WriteIndented">Indent the JSON. Only meaningful for a JSON document serialized by reflection: a context carries its own options.</param>
/// <param name="Format">The resolved format: <see cref="StoreFormat.Json"/> or <see cref="StoreFormat.JsonLines"/>, never <see cref="StoreFormat.Auto"/>.</param>
/// <param name="ItemType">A JSON Lines store's record type as written in generated code; null for a JSON document.</param>
/// <param name="Style">Whose bytes a save writes (emitted by name).</param>
/// <param name="Indent">The spaces per level of <see cref="JsonStyle.JavaScript"/> output.</param>
internal sealed record SerializationModel(
    string? JsonContext,
    bool WriteIndented,
    StoreFormat Format = StoreFormat.Json,
    string? ItemType = null,
    JsonStyle Style = JsonStyle.SystemTextJson,
    int Indent = 2)
{
    public bool UsesReflection => JsonContext is null;

    public bool IsJsonLines => Format == StoreFormat.JsonLines;
}
