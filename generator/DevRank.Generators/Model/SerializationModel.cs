namespace DevRank.Generators.Model;

/// <summary>How a store turns its type into JSON.</summary>
/// <param name="JsonContext">
/// The user's <c>JsonSerializerContext</c> as written in generated code (<c>global::Demo.DemoJson</c>), or null to
/// serialize by reflection.
/// </param>
/// <param name="WriteIndented">Indent the JSON. Only meaningful for reflection: a context carries its own options.</param>
internal sealed record SerializationModel(string? JsonContext, bool WriteIndented)
{
    public bool UsesReflection => JsonContext is null;
}
