using Microsoft.CodeAnalysis;

namespace DevRank.Generators;

/// <summary>
/// Every diagnostic about <c>[AtomicStore]</c>, in one place. Each has a page under <c>docs/diagnostics/</c> and an
/// entry in <c>AnalyzerReleases.Unshipped.md</c>.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "DevRank.AtomicStore";
    private const string HelpBase = "https://github.com/devrank/DevRank.Generators/blob/main/docs/diagnostics/";

    public const string StoreNotPartialId = "DRS001";
    public const string InvalidFileNameId = "DRS002";
    public const string DuplicateFileNameId = "DRS003";
    public const string UnsupportedTypeId = "DRS004";
    public const string InvalidJsonContextId = "DRS005";
    public const string NoJsonContextId = "DRS006";
    public const string NonAtomicWriteId = "DRS007";
    public const string NoUsableConstructorId = "DRS008";
    public const string GeneratedMemberCollisionId = "DRS009";
    public const string DerivesFromStoreId = "DRS010";
    public const string InvalidOptionId = "DRS011";
    public const string UnsupportedOptionId = "DRS012";
    public const string LanguageVersionTooOldId = "DRS013";
    public const string FileIsFolderOfAnotherId = "DRS014";
    public const string BackslashInFileNameId = "DRS015";
    public const string ContextCannotReadId = "DRS016";
    public const string NotAJsonLinesCollectionId = "DRS017";
    public const string JsonLinesMemberOnDocumentId = "DRS018";
    public const string OptionWithoutEffectId = "DRS019";

    // Round trip (issue 14 §2): data System.Text.Json writes but does not read back, or reads back changed.
    public const string FieldNotSavedId = "DRS020";
    public const string PropertyNotLoadedId = "DRS021";
    public const string ReadOnlyCollectionId = "DRS022";
    public const string CollectionMembersId = "DRS023";
    public const string DerivedMembersId = "DRS024";
    public const string ValueChangedId = "DRS025";
    public const string LoadThrowsId = "DRS026";

    /// <summary>Diagnostic property: why a <c>JsonContext</c> is unusable (a <see cref="ContextProblem"/> name).</summary>
    public const string ContextProblemProperty = "ContextProblem";

    /// <summary>Diagnostic property: the <c>AtomicFile</c> method a non-atomic write can be rewritten to.</summary>
    public const string AtomicMethodProperty = "AtomicMethod";

    /// <summary>Diagnostic property: the index of the <c>CancellationToken</c> argument, which becomes a named argument.</summary>
    public const string TokenArgumentProperty = "TokenArgument";

    /// <summary>Diagnostic property (DRS021): the store has a context, so the <c>[JsonInclude]</c> fix also makes the setter internal.</summary>
    public const string MakeSetterInternalProperty = "MakeSetterInternal";

    public static readonly DiagnosticDescriptor StoreNotPartial = Create(
        StoreNotPartialId,
        "Store type is not partial",
        "'{0}' must be partial: [AtomicStore] on '{1}' adds members in a generated part, which needs the store and every type around it to be partial",
        DiagnosticSeverity.Error);

    /// <summary>{1} is the rule the name breaks, from <see cref="StoreFileNames.Validate"/>: <c>is rooted; it must be ...</c>.</summary>
    public static readonly DiagnosticDescriptor InvalidFileName = Create(
        InvalidFileNameId,
        "Unusable store file name",
        "The store file name '{0}' {1}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DuplicateFileName = Create(
        DuplicateFileNameId,
        "Two stores use the same file",
        "Store '{0}' uses the file '{1}', as does store '{2}': they would overwrite each other",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedType = Create(
        UnsupportedTypeId,
        "Type cannot be a store",
        "'{0}' cannot be a store: {1}",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor InvalidJsonContext = Create(
        InvalidJsonContextId,
        "Unusable JsonContext",
        "'{0}' is not a usable JsonSerializerContext: JsonContext must name a concrete, non-generic class deriving from System.Text.Json.Serialization.JsonSerializerContext",
        DiagnosticSeverity.Error);

    /// <summary>DRS005 too (one problem, two wordings): a context whose <c>[JsonSerializable]</c> list lacks the store.</summary>
    public static readonly DiagnosticDescriptor JsonContextWithoutStore = Create(
        InvalidJsonContextId,
        "Unusable JsonContext",
        "The JsonContext '{0}' has no metadata for '{1}': add [JsonSerializable(typeof({1}))] to '{0}'",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NoJsonContext = Create(
        NoJsonContextId,
        "Store serializes by reflection",
        "Store '{0}' has no JsonContext, so it serializes by reflection and its members carry [RequiresUnreferencedCode] and [RequiresDynamicCode]; give it a JsonSerializerContext to make it trim- and AOT-safe",
        DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor NonAtomicWrite = Create(
        NonAtomicWriteId,
        "Non-atomic write to a store's file",
        "'{0}' overwrites '{1}' in place, the file of store '{2}': a crash mid-write leaves it truncated and a concurrent Update loses its change; use {2}.Save or {2}.Update, or AtomicFile",
        DiagnosticSeverity.Warning);

    /// <summary>DRS007 too: an append is in place as well, but what it breaks is different.</summary>
    public static readonly DiagnosticDescriptor NonAtomicAppend = Create(
        NonAtomicWriteId,
        "Non-atomic write to a store's file",
        "'{0}' appends to '{1}', the file of store '{2}', in place and outside the store's lock: a crash mid-write leaves a torn end that no load accepts, and a concurrent Update loses it; use {2}.Update, or make '{1}' a JSON Lines store (*.jsonl) and use {2}.Append",
        DiagnosticSeverity.Warning);

    /// <summary>DRS007 too: a copy or move over the store's file with <c>overwrite: true</c>.</summary>
    public static readonly DiagnosticDescriptor NonAtomicReplace = Create(
        NonAtomicWriteId,
        "Non-atomic write to a store's file",
        "'{0}' replaces '{1}', the file of store '{2}', without the store's lock or fsync: a copy rewrites it in place (a crash leaves it truncated), a move is not flushed (a power cut can lose it), and a concurrent Update loses its change; load the other file and {2}.Save it, or use AtomicFile",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NoUsableConstructor = Create(
        NoUsableConstructorId,
        "Store has no constructor the JSON reader can use",
        "Store '{0}' has no public parameterless constructor, no [JsonConstructor] and more than one public constructor, so Load will throw NotSupportedException; add one of those or a JsonContext",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor GeneratedMemberCollision = Create(
        GeneratedMemberCollisionId,
        "Member clashes with a generated store member",
        "{0} clashes with the member '{1}' that [AtomicStore] generates on '{2}', so the generated code would not compile; rename it",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor DerivesFromStore = Create(
        DerivesFromStoreId,
        "Store derives from another store",
        "Store '{0}' derives from the store '{1}': both would declare FileName, Store, Load, Save and Update; derive from a common base that is not a store",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NegativeLockTimeout = Create(
        InvalidOptionId,
        "Invalid store option",
        "LockTimeoutMilliseconds of store '{0}' is {1}; it must be 0 or more",
        DiagnosticSeverity.Error);

    /// <summary>DRS011 too. {2} lists the enum's names, read from the runtime's own <c>Durability</c> source.</summary>
    public static readonly DiagnosticDescriptor UndefinedDurability = Create(
        InvalidOptionId,
        "Invalid store option",
        "Durability of store '{0}' is {1}, which is not a Durability value; use {2}",
        DiagnosticSeverity.Error);

    /// <summary>DRS011 too. {2} lists the enum's names, read from the runtime's own <c>StoreFormat</c> source.</summary>
    public static readonly DiagnosticDescriptor UndefinedFormat = Create(
        InvalidOptionId,
        "Invalid store option",
        "Format of store '{0}' is {1}, which is not a StoreFormat value; use {2}",
        DiagnosticSeverity.Error);

    /// <summary>DRS011 too, for <c>Style</c>.</summary>
    public static readonly DiagnosticDescriptor UndefinedStyle = Create(
        InvalidOptionId,
        "Invalid store option",
        "Style of store '{0}' is {1}, which is not a JsonStyle value; use {2}",
        DiagnosticSeverity.Error);

    /// <summary>DRS011 too, for <c>Indent</c>: JSON.stringify indents by 0 to 10 spaces.</summary>
    public static readonly DiagnosticDescriptor IndentOutOfRange = Create(
        InvalidOptionId,
        "Invalid store option",
        "Indent of store '{0}' is {1}; JSON.stringify indents by 0 to 10 spaces",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor UnsupportedOption = Create(
        UnsupportedOptionId,
        "Unsupported store option",
        "Store '{0}' sets '{1}', an [AtomicStore] option this version of the generator does not support, so it gets no members; use the generator from the same DevRank.AtomicStore package as the attribute, or remove the option",
        DiagnosticSeverity.Error);

    // Round trip (DRS020-DRS026). Each message says what is lost, why, and what fixes it.

    public static readonly DiagnosticDescriptor FieldNotSaved = Create(
        FieldNotSavedId,
        "Public field is not saved",
        "The public field '{0}' is not saved: System.Text.Json ignores fields unless they have [JsonInclude] or the JsonSerializerOptions set IncludeFields; add [JsonInclude], make it a property, or set IncludeFields",
        DiagnosticSeverity.Warning);

    /// <summary>{1} is why (<c>its setter is private</c>, <c>it has no setter</c>), {2} what fixes it.</summary>
    public static readonly DiagnosticDescriptor PropertyNotLoaded = Create(
        PropertyNotLoadedId,
        "Property is saved but not loaded",
        "The property '{0}' is saved but not loaded: {1} and no parameter of the constructor System.Text.Json uses is named after it, so a load leaves it at its initial value; {2}",
        DiagnosticSeverity.Warning);

    /// <summary>DRS021 too: a struct is created by its default constructor unless one has <c>[JsonConstructor]</c>.</summary>
    public static readonly DiagnosticDescriptor StructPropertyNotLoaded = Create(
        PropertyNotLoadedId,
        "Property is saved but not loaded",
        "The property '{0}' is saved but not loaded: it has no public setter and System.Text.Json creates the struct '{1}' with its default constructor, not with the constructor that sets it, so it comes back as default; mark that constructor [JsonConstructor] or give the property a public setter",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ReadOnlyCollection = Create(
        ReadOnlyCollectionId,
        "Get-only collection comes back empty",
        "The collection '{0}' is saved but comes back as its initial value: it has no public setter and is not a constructor parameter, so System.Text.Json skips it on load; add [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)] to fill it in place, or give it a setter",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CollectionMembers = Create(
        CollectionMembersId,
        "Collection type's own members are not saved",
        "'{0}' is not saved: '{1}' is a collection, which System.Text.Json writes as its items alone, dropping the type's own properties; keep '{0}' in an object that holds the collection as a property, or give '{1}' a JsonConverter",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor DerivedMembers = Create(
        DerivedMembersId,
        "Derived type's members are lost",
        "'{0}' is saved as '{1}', which has derived types ({2}): an instance of one is saved with the members of '{1}' alone and loads back as a '{1}'; add [JsonDerivedType(typeof(...), \"name\")] for each to '{1}', or seal it",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor StackReversed = Create(
        ValueChangedId,
        "Value changes on a round trip",
        "'{0}' comes back reversed: System.Text.Json writes a stack top first and loads it by pushing in that order; save an array or a List<T> instead, or reverse it after a load",
        DiagnosticSeverity.Warning);

    /// <summary>DRS025 too: a <c>ValueTuple</c>'s elements are fields.</summary>
    public static readonly DiagnosticDescriptor TupleNotSaved = Create(
        ValueChangedId,
        "Value changes on a round trip",
        "'{0}' is saved as {{}}: a tuple's elements are the fields Item1, Item2, ..., which System.Text.Json ignores unless IncludeFields is set (their names are lost either way); use a record instead, or set IncludeFields",
        DiagnosticSeverity.Warning);

    /// <summary>DRS025 too: the initializer's comparer is replaced by a new collection on load.</summary>
    public static readonly DiagnosticDescriptor ComparerLost = Create(
        ValueChangedId,
        "Value changes on a round trip",
        "'{0}' loses its comparer on a round trip: a load replaces the collection its initializer creates with a new one that uses the default comparer; add [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)] and remove the setter so the load fills it in place, or create it in a constructor parameter",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor NotLoadableCollection = Create(
        LoadThrowsId,
        "Round trip throws at run time",
        "'{0}' saves but cannot be loaded: its type '{1}' implements IEnumerable<T> without ICollection<T> or an Add method, so a load throws NotSupportedException; implement ICollection<T>, use a List<T> or an array, or give '{1}' a JsonConverter",
        DiagnosticSeverity.Warning);

    /// <summary>DRS026 too: <c>object</c> comes back as <c>JsonElement</c>.</summary>
    public static readonly DiagnosticDescriptor ObjectAsJsonElement = Create(
        LoadThrowsId,
        "Round trip throws at run time",
        "'{0}' is declared as object, so it loads back as a JsonElement, not as the value saved, and a cast to that value's type throws InvalidCastException; declare the real type, or use [JsonPolymorphic] on a base type",
        DiagnosticSeverity.Warning);

    /// <summary>DRS026 too: the value a missing file starts from cannot itself be saved.</summary>
    public static readonly DiagnosticDescriptor DefaultNotSaveable = Create(
        LoadThrowsId,
        "Round trip throws at run time",
        "'{0}' is {1} in new {2}(), which LoadOrCreate and Update start from when the file is missing, and saving that default throws InvalidOperationException; give '{0}' an initializer (= [] or ImmutableArray.Create<T>()), or pass a create function that sets it",
        DiagnosticSeverity.Warning);

    /// <summary>DRS026 too: STJ requires every parameter of the constructor it uses to bind to a member.</summary>
    public static readonly DiagnosticDescriptor UnboundConstructorParameter = Create(
        LoadThrowsId,
        "Round trip throws at run time",
        "The constructor parameter '{0}' of '{1}' matches no property, so every load of '{1}' throws InvalidOperationException (System.Text.Json binds each parameter of the constructor it uses to a property or field of the same name, ignoring case); rename it after the property it sets, or mark another constructor [JsonConstructor]",
        DiagnosticSeverity.Warning);

    /// <summary>DRS026 too: an interface or abstract class is saved as its declared members and cannot be created on load.</summary>
    public static readonly DiagnosticDescriptor AbstractMember = Create(
        LoadThrowsId,
        "Round trip throws at run time",
        "'{0}' is declared as the {1} '{2}', which a load cannot create: once it holds a value, every load throws NotSupportedException (and only the members '{2}' declares are saved); add [JsonDerivedType(typeof(...), \"name\")] for each implementation to '{2}', or declare the concrete type",
        DiagnosticSeverity.Warning);

    /// <summary>{1} and {2} are C# versions as <c>LangVersion</c> spells them (<c>9.0</c>, <c>7.3</c>).</summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Create(
        LanguageVersionTooOldId,
        "C# version too old for a store",
        "Store '{0}' gets no members: the generated code needs C# {1} or later and this project compiles as C# {2}; remove <LangVersion> (net8.0 projects default to C# 12) or set it to {1} or later",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor FileIsFolderOfAnother = Create(
        FileIsFolderOfAnotherId,
        "A store's file is another store's folder",
        "Store '{0}' uses the file '{1}', which store '{2}' needs as a folder for its file '{3}': whichever saves second fails",
        DiagnosticSeverity.Error);

    /// <summary>{1} is the name with forward slashes.</summary>
    public static readonly DiagnosticDescriptor BackslashInFileName = Create(
        BackslashInFileNameId,
        "Store file name uses a backslash",
        "The store file name '{0}' uses a backslash: on Windows that is a sub-folder, elsewhere a file whose name contains a backslash; write '{1}'",
        DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ContextCannotRead = Create(
        ContextCannotReadId,
        "JSON context cannot read the store",
        "The JSON context '{0}' generates only serialization code for store '{1}' (GenerationMode = Serialization): saves work, and every load throws; use the default or Metadata mode",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor NotAJsonLinesCollection = Create(
        NotAJsonLinesCollectionId,
        "JSON Lines store is not a collection",
        "Store '{0}' keeps JSON Lines ({1}), one record per line, so its type must be a collection of one record type with a public parameterless constructor, but {2}; derive it from List<TRecord>, or keep one JSON document (a .json file, or Format = StoreFormat.Json)",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor JsonLinesMemberOnDocument = Create(
        JsonLinesMemberOnDocumentId,
        "Append or Read on a JSON document store",
        "'{1}' needs a JSON Lines store, and '{0}' keeps one JSON document in '{2}'; name its file *.jsonl or set Format = StoreFormat.JsonLines (its type must then be a collection), or load, change and save the whole document",
        DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor OptionWithoutEffect = Create(
        OptionWithoutEffectId,
        "Store option has no effect",
        "{1} has no effect on store '{0}', which {2}; remove it",
        DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, params string[] tags) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md", customTags: tags);
}
