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

    /// <summary>Diagnostic property: why a <c>JsonContext</c> is unusable (a <see cref="ContextProblem"/> name).</summary>
    public const string ContextProblemProperty = "ContextProblem";

    /// <summary>Diagnostic property: the <c>AtomicFile</c> method a non-atomic write can be rewritten to.</summary>
    public const string AtomicMethodProperty = "AtomicMethod";

    /// <summary>Diagnostic property: the index of the <c>CancellationToken</c> argument, which becomes a named argument.</summary>
    public const string TokenArgumentProperty = "TokenArgument";

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

    public static readonly DiagnosticDescriptor UnsupportedOption = Create(
        UnsupportedOptionId,
        "Unsupported store option",
        "Store '{0}' sets '{1}', an [AtomicStore] option this version of the generator does not support, so it gets no members; use the generator from the same DevRank.AtomicStore package as the attribute, or remove the option",
        DiagnosticSeverity.Error);

    /// <summary>{1} and {2} are C# versions as <c>LangVersion</c> spells them (<c>9.0</c>, <c>7.3</c>).</summary>
    public static readonly DiagnosticDescriptor LanguageVersionTooOld = Create(
        LanguageVersionTooOldId,
        "C# version too old for a store",
        "Store '{0}' gets no members: the generated code needs C# {1} or later and this project compiles as C# {2}; remove <LangVersion> (net8.0 projects default to C# 12) or set it to {1} or later",
        DiagnosticSeverity.Error);

    private static DiagnosticDescriptor Create(string id, string title, string message, DiagnosticSeverity severity, params string[] tags) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id + ".md", customTags: tags);
}
