namespace DevRank.Generators.Model;

/// <summary>
/// The members the generated part declares, and where it goes: the one table that the emitter declares them from
/// and that <see cref="StoreRules.GeneratedMemberCollisions"/> checks user members against (DRS009), so the two
/// cannot drift. Parameter types are written as emitted, with <c>{T}</c> for the store type.
/// </summary>
internal static class GeneratedMembers
{
    /// <summary>Ends every generated file's hint name; also how the analyzer recognizes our own output.</summary>
    public const string HintNameSuffix = ".AtomicStore.g.cs";

    public const string FileName = nameof(FileName);
    public const string Store = nameof(Store);
    public const string StoreField = "__atomicStore";
    public const string UnreferencedCodeMessage = "__UnreferencedCodeMessage";
    public const string DynamicCodeMessage = "__DynamicCodeMessage";

    /// <summary>Names declared on every store whatever its shape; any member of the type with one of them clashes.</summary>
    public static readonly string[] FieldsAndProperties = [FileName, Store, StoreField, UnreferencedCodeMessage, DynamicCodeMessage];

    private const string T = "{T}";
    private const string Token = "global::System.Threading.CancellationToken";
    private static readonly GeneratedParameter Folder = new("string", "folder");
    private static readonly GeneratedParameter Create = new($"global::System.Func<{T}>", "create");
    private static readonly GeneratedParameter Change = new($"global::System.Func<{T}, {T}>", "change");
    private static readonly GeneratedParameter CancellationToken = new(Token, "cancellationToken", Default: "default");

    public static readonly GeneratedMethod Load = new("Load", MemberCondition.Always, Folder);
    public static readonly GeneratedMethod TryLoad = new("TryLoad", MemberCondition.Always, Folder, new(T, "value", Modifier: "out", Attribute: "[global::System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)]"));
    public static readonly GeneratedMethod LoadOrCreateNew = new("LoadOrCreate", MemberCondition.CanCreate, Folder);
    public static readonly GeneratedMethod LoadOrCreate = new("LoadOrCreate", MemberCondition.Always, Folder, Create);
    public static readonly GeneratedMethod LoadAsync = new("LoadAsync", MemberCondition.Always, Folder, CancellationToken);
    public static readonly GeneratedMethod LoadOrCreateNewAsync = new("LoadOrCreateAsync", MemberCondition.CanCreate, Folder, CancellationToken);
    public static readonly GeneratedMethod LoadOrCreateAsync = new("LoadOrCreateAsync", MemberCondition.Always, Folder, Create, CancellationToken);
    public static readonly GeneratedMethod Save = new("Save", MemberCondition.Always, Folder);
    public static readonly GeneratedMethod SaveAsync = new("SaveAsync", MemberCondition.Always, Folder, CancellationToken);
    public static readonly GeneratedMethod Update = new("Update", MemberCondition.Always, Folder, Change);
    public static readonly GeneratedMethod UpdateInPlace = new("Update", MemberCondition.ReferenceType, Folder, new($"global::System.Action<{T}>", "change"));
    public static readonly GeneratedMethod UpdateAsync = new("UpdateAsync", MemberCondition.Always, Folder, Change, CancellationToken);
    public static readonly GeneratedMethod UpdateAwaitingAsync = new("UpdateAsync", MemberCondition.Always, Folder, new($"global::System.Func<{T}, {Token}, global::System.Threading.Tasks.ValueTask<{T}>>", "change"), CancellationToken);

    private const string I = "{I}";
    private static readonly GeneratedParameter Item = new(I, "item");
    private static readonly GeneratedParameter Items = new($"global::System.Collections.Generic.IEnumerable<{I}>", "items");
    public static readonly GeneratedMethod Append = new("Append", MemberCondition.JsonLines, Folder, Item);
    public static readonly GeneratedMethod AppendMany = new("Append", MemberCondition.JsonLines, Folder, Items);
    public static readonly GeneratedMethod AppendAsync = new("AppendAsync", MemberCondition.JsonLines, Folder, Item, CancellationToken);
    public static readonly GeneratedMethod AppendManyAsync = new("AppendAsync", MemberCondition.JsonLines, Folder, Items, CancellationToken);
    public static readonly GeneratedMethod Read = new("Read", MemberCondition.JsonLines, Folder);
    public static readonly GeneratedMethod ReadAsync = new("ReadAsync", MemberCondition.JsonLines, Folder, CancellationToken);

    /// <summary>The members only a JSON Lines store has: DRS018 names them when they are called on a JSON document store.</summary>
    public static readonly string[] JsonLinesOnly = ["Append", "AppendAsync", "Read", "ReadAsync"];

    /// <summary>Every generated method, in the order the emitter writes them.</summary>
    public static readonly GeneratedMethod[] Methods =
    [
        Load, TryLoad, LoadOrCreateNew, LoadOrCreate, LoadAsync, LoadOrCreateNewAsync, LoadOrCreateAsync, Save, SaveAsync, Update, UpdateInPlace, UpdateAsync, UpdateAwaitingAsync,
        Append, AppendMany, AppendAsync, AppendManyAsync, Read, ReadAsync,
    ];
}

/// <summary>Which stores get a generated method.</summary>
internal enum MemberCondition
{
    /// <summary>Every store.</summary>
    Always,

    /// <summary>Stores where <c>new T()</c> compiles.</summary>
    CanCreate,

    /// <summary>Classes and records: an in-place change of a struct would change a copy.</summary>
    ReferenceType,

    /// <summary>JSON Lines stores: appends and streamed reads of records.</summary>
    JsonLines,
}

/// <summary>One generated method's name, the stores that get it and its parameters.</summary>
internal sealed class GeneratedMethod(string name, MemberCondition when, params GeneratedParameter[] parameters)
{
    public string Name { get; } = name;

    public bool AppliesTo(bool canCreate, bool isValueType, bool isJsonLines) => when switch
    {
        MemberCondition.CanCreate => canCreate,
        MemberCondition.ReferenceType => !isValueType,
        MemberCondition.JsonLines => isJsonLines,
        _ => true,
    };

    /// <summary>The parameter list as declared: <c>string folder, global::System.Func&lt;T&gt; create</c>.</summary>
    public string ParameterList(string self, string? item) => string.Join(", ", parameters.Select(parameter => parameter.Declaration(self, item)));

    /// <summary>
    /// The parameter types as C# compares overloads: <c>out</c>, <c>ref</c> and <c>in</c> cannot overload each other,
    /// so each is written <c>ref T</c>.
    /// </summary>
    public string[] Signature(string self, string? item) =>
        [.. parameters.Select(parameter => (parameter.Modifier.Length == 0 ? "" : "ref ") + parameter.TypeFor(self, item))];
}

/// <param name="Type">The type as emitted, with <c>{T}</c> for the store type and <c>{I}</c> for a JSON Lines store's record type.</param>
/// <param name="Name">The parameter's name.</param>
/// <param name="Modifier"><c>out</c>, or empty.</param>
/// <param name="Attribute">An attribute written before the parameter, or empty.</param>
/// <param name="Default">The default value, or empty for none.</param>
internal sealed record GeneratedParameter(string Type, string Name, string Modifier = "", string Attribute = "", string Default = "")
{
    public string TypeFor(string self, string? item) => Type.Replace("{T}", self).Replace("{I}", item ?? "object");

    public string Declaration(string self, string? item) =>
        (Attribute.Length == 0 ? "" : Attribute + " ")
        + (Modifier.Length == 0 ? "" : Modifier + " ")
        + TypeFor(self, item) + " " + Name
        + (Default.Length == 0 ? "" : " = " + Default);
}
