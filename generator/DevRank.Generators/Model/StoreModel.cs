namespace DevRank.Generators.Model;

/// <summary>
/// Everything the emitter needs for one store, and nothing from Roslyn: plain strings, numbers and flags, so two
/// models from two compilations are equal exactly when they would produce the same code.
/// </summary>
/// <param name="HintName">The generated file's name, e.g. <c>Demo.Tracker.AtomicStore.g.cs</c>.</param>
/// <param name="Namespace">The namespace to declare, or null for the global namespace.</param>
/// <param name="ContainingTypes">The types the store is nested in, outermost first.</param>
/// <param name="Type">The store type's own declaration.</param>
/// <param name="FullyQualifiedName">The store type as written in generated code, e.g. <c>global::Demo.Tracker</c>.</param>
/// <param name="FileName">The validated store file name.</param>
/// <param name="Serialization">How the store serializes: a context or reflection.</param>
/// <param name="Options">Save and lock options that differ from the runtime's defaults.</param>
/// <param name="IsValueType">A struct: no in-place <c>Update(folder, Action)</c>, since it would change a copy.</param>
/// <param name="CanCreate">
/// <c>new T()</c> compiles: there is a usable parameterless constructor and it sets every <c>required</c> member.
/// </param>
/// <param name="ImplementsStoreInterface">
/// The project's C# has static abstract interface members (11 or later), so the store implements <c>IAtomicStore&lt;T&gt;</c>.
/// </param>
internal sealed record StoreModel(
    string HintName,
    string? Namespace,
    EquatableArray<TypeDeclarationModel> ContainingTypes,
    TypeDeclarationModel Type,
    string FullyQualifiedName,
    string FileName,
    SerializationModel Serialization,
    StoreOptionsModel Options,
    bool IsValueType,
    bool CanCreate,
    bool ImplementsStoreInterface);
