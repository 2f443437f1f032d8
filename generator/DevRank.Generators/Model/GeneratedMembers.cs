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

    /// <summary>Every generated method, in the order the emitter writes them.</summary>
    public static readonly GeneratedMethod[] Methods =
        [Load, TryLoad, LoadOrCreateNew, LoadOrCreate, LoadAsync, LoadOrCreateNewAsync, LoadOrCreateAsync, Save, SaveAsync, Update, UpdateInPlace, UpdateAsync, UpdateAwaitingAsync];
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
}

/// <summary>One generated method's name, the stores that get it and its parameters.</summary>
internal sealed class GeneratedMethod(string name, MemberCondition when, params GeneratedParameter[] parameters)
{
    public string Name { get; } = name;

    public bool AppliesTo(bool canCreate, bool isValueType) => when switch
    {
        MemberCondition.CanCreate => canCreate,
        MemberCondition.ReferenceType => !isValueType,
        _ => true,
    };

    /// <summary>The parameter list as declared: <c>string folder, global::System.Func&lt;T&gt; create</c>.</summary>
    public string ParameterList(string self) => string.Join(", ", parameters.Select(parameter => parameter.Declaration(self)));

    /// <summary>
    /// The parameter types as C# compares overloads: <c>out</c>, <c>ref</c> and <c>in</c> cannot overload each other,
    /// so each is written <c>ref T</c>.
    /// </summary>
    public string[] Signature(string self) =>
        [.. parameters.Select(parameter => (parameter.Modifier.Length == 0 ? "" : "ref ") + parameter.TypeFor(self))];
}

/// <param name="Type">The type as emitted, with <c>{T}</c> for the store type.</param>
/// <param name="Name">The parameter's name.</param>
/// <param name="Modifier"><c>out</c>, or empty.</param>
/// <param name="Attribute">An attribute written before the parameter, or empty.</param>
/// <param name="Default">The default value, or empty for none.</param>
internal sealed record GeneratedParameter(string Type, string Name, string Modifier = "", string Attribute = "", string Default = "")
{
    public string TypeFor(string self) => Type.Replace("{T}", self);

    public string Declaration(string self) =>
        (Attribute.Length == 0 ? "" : Attribute + " ")
        + (Modifier.Length == 0 ? "" : Modifier + " ")
        + TypeFor(self) + " " + Name
        + (Default.Length == 0 ? "" : " = " + Default);
}
