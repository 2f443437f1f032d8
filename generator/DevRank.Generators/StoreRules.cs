using DevRank.Generators.Model;
using DevRank.Generators.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators;

/// <summary>
/// The rules a store must follow, shared by the generator (which emits nothing for a type that breaks one) and
/// the analyzer (which says which one, and where). Pure functions of symbols: no diagnostics, no locations kept.
/// </summary>
internal static class StoreRules
{
    public const string AttributeMetadataName = "DevRank.AtomicStore.AtomicStoreAttribute";
    public const string JsonSerializerContextMetadataName = "System.Text.Json.Serialization.JsonSerializerContext";
    public const string JsonSerializableMetadataName = "System.Text.Json.Serialization.JsonSerializableAttribute";
    private const string JsonConstructorMetadataName = "System.Text.Json.Serialization.JsonConstructorAttribute";
    private const string SetsRequiredMembersMetadataName = "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute";
    private const string ObsoleteMetadataName = "System.ObsoleteAttribute";

    /// <summary>
    /// The oldest C# the generated part compiles at: it writes static lambdas (C# 9). Projects on net8.0 or later
    /// default to C# 12, so only an explicit, older <c>LangVersion</c> is below it; the analyzer reports DRS013.
    /// </summary>
    public const LanguageVersion MinimumLanguageVersion = LanguageVersion.CSharp9;

    /// <summary>
    /// <c>IAtomicStore&lt;T&gt;</c> has static abstract members, a C# 11 feature (CS8706 below it): at C# 9 and 10 the
    /// generated part declares the same members without implementing the interface.
    /// </summary>
    public const LanguageVersion StoreInterfaceLanguageVersion = LanguageVersion.CSharp11;

    /// <summary>The C# version a file is compiled at (<c>LangVersion</c>, with <c>latest</c> and <c>default</c> resolved).</summary>
    public static LanguageVersion LanguageVersionOf(SyntaxTree tree) =>
        tree.Options is CSharpParseOptions options ? options.LanguageVersion : LanguageVersion.Latest;

    /// <summary>Whether an attribute argument's value is a member of the runtime's <see cref="Durability"/> (linked from its source).</summary>
    public static bool IsDefinedDurability(object? value) => value is int level && Enum.IsDefined(typeof(Durability), level);

    /// <summary><c>Durability.Durable or Durability.AtomicOnly</c>: the enum's names, for messages.</summary>
    public static string DurabilityNames() => string.Join(" or ", Enum.GetNames(typeof(Durability)).Select(static name => "Durability." + name));

    /// <summary>
    /// Whether the generator can read the named attribute argument: an option it knows, with a value of the type it
    /// expects. Anything else (an option a newer attribute added, say) gets no members and DRS012, never a store that
    /// silently ignores what the user asked for. <see cref="AttributeOptions"/> is the one list.
    /// </summary>
    public static bool IsSupportedOption(string name, TypedConstant value) => AttributeOptions.IsSupported(name, value);

    /// <summary>Whether <paramref name="value"/> is a defined <see cref="JsonStyle"/>.</summary>
    public static bool IsDefinedStyle(JsonStyle value) => Enum.IsDefined(typeof(JsonStyle), value);

    /// <summary><c>JsonStyle.SystemTextJson or ...</c>: the enum's names, for messages.</summary>
    public static string StyleNames() => string.Join(" or ", Enum.GetNames(typeof(JsonStyle)).Select(static name => "JsonStyle." + name));

    /// <summary>What <c>JSON.stringify</c> indents by: 0 to 10 spaces.</summary>
    public static bool IsValidIndent(int indent) => indent is >= 0 and <= 10;

    /// <summary>Whether <paramref name="value"/> is a defined <see cref="StoreFormat"/>.</summary>
    public static bool IsDefinedFormat(StoreFormat value) => Enum.IsDefined(typeof(StoreFormat), value);

    /// <summary><c>StoreFormat.Auto or StoreFormat.Json or StoreFormat.JsonLines</c>: the enum's names, for messages.</summary>
    public static string FormatNames() => string.Join(" or ", Enum.GetNames(typeof(StoreFormat)).Select(static name => "StoreFormat." + name));

    /// <summary>
    /// The format a store gets: the one asked for, or for <see cref="StoreFormat.Auto"/> JSON Lines when the file is
    /// named <c>*.jsonl</c> or <c>*.ndjson</c> (any case) and one JSON document otherwise.
    /// </summary>
    public static StoreFormat ResolveFormat(string fileName, StoreFormat format) =>
        format != StoreFormat.Auto ? format
        : fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase) ? StoreFormat.JsonLines
        : StoreFormat.Json;

    /// <summary>The resolved format of a type's own <c>[AtomicStore]</c>, read from the attribute as the parser reads it; <see cref="StoreFormat.Json"/> when it has none.</summary>
    public static StoreFormat FormatOf(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == AttributeMetadataName
                && attribute.ConstructorArguments is [{ Value: string fileName }])
            {
                var options = new AttributeOptions();
                foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
                {
                    options.Read(argument.Key, argument.Value);
                }

                return ResolveFormat(fileName, options.Format);
            }
        }

        return StoreFormat.Json;
    }

    /// <summary>Why <see cref="JsonLinesItemType"/> is null, for DRS017.</summary>
    public static string WhyNotJsonLines(INamedTypeSymbol type)
    {
        int collections = type.AllInterfaces
            .Where(static i => i is { Name: "ICollection", Arity: 1 } && i.ContainingNamespace.ToDisplayString() == "System.Collections.Generic")
            .Select(static i => i.TypeArguments[0])
            .Distinct<ITypeSymbol>(SymbolEqualityComparer.Default)
            .Count();
        return collections switch
        {
            0 => "it implements no ICollection<T>",
            > 1 => "it implements ICollection<T> for more than one record type",
            _ => "it has no public parameterless constructor that sets every required member",
        };
    }

    /// <summary>
    /// The record type of a JSON Lines store: the <c>TItem</c> of the one <c>ICollection&lt;TItem&gt;</c> the type
    /// implements, when the runtime's <c>new()</c> constraint holds (a public parameterless constructor that sets every
    /// <c>required</c> member). Null otherwise: DRS017.
    /// </summary>
    public static ITypeSymbol? JsonLinesItemType(INamedTypeSymbol type)
    {
        ITypeSymbol? item = null;
        foreach (INamedTypeSymbol candidate in type.AllInterfaces)
        {
            if (candidate is { Name: "ICollection", Arity: 1 } && candidate.ContainingNamespace.ToDisplayString() == "System.Collections.Generic")
            {
                if (item is not null && !SymbolEqualityComparer.Default.Equals(item, candidate.TypeArguments[0]))
                {
                    return null; // Two record types: which one a line holds would be a guess.
                }

                item = candidate.TypeArguments[0];
            }
        }

        bool hasPublicParameterless = type.IsValueType
            || type.InstanceConstructors.Any(static constructor => constructor.Parameters.IsEmpty && constructor.DeclaredAccessibility == Accessibility.Public);
        return item is not null && hasPublicParameterless && CanCreate(type) && !type.IsRefLikeType ? item : null;
    }

    /// <summary>
    /// Why the type itself cannot be a store (generic, static, ...), or null. Whether it is partial is a separate
    /// rule, <see cref="NonPartialDeclarations"/>, since it has a code fix.
    /// </summary>
    public static string? UnsupportedShape(INamedTypeSymbol type)
    {
        string? why = type switch
        {
            { TypeKind: TypeKind.Interface } => "it is an interface; a store must be a class, record or struct that can be created",
            { TypeKind: not (TypeKind.Class or TypeKind.Struct) } => "it is not a class, record or struct",
            { IsStatic: true } => "it is static; a store is an instance that is loaded and saved",
            { IsAbstract: true } => "it is abstract, so a load could not create it",
            { IsRefLikeType: true } => "it is a ref struct, which cannot be a generic type argument of JsonFileStore<T>",
            { TypeParameters.Length: > 0 } => "it is generic; one file cannot hold every instantiation, so declare a non-generic type per file",
            _ => null,
        };
        if (why is not null)
        {
            return why;
        }

        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            if (current.IsFileLocal)
            {
                return SymbolEqualityComparer.Default.Equals(current, type)
                    ? "it is file-local, so the generated part in another file cannot extend it"
                    : $"it is nested in the file-local type '{current.Name}', so the generated part in another file cannot extend it";
            }

            if (!SymbolEqualityComparer.Default.Equals(current, type) && current.TypeParameters.Length > 0)
            {
                return $"it is nested in the generic type '{current.Name}'; one file cannot hold every instantiation";
            }
        }

        return null;
    }

    /// <summary>The declarations of the type, or of a type around it, that lack <c>partial</c>.</summary>
    public static List<TypeDeclarationSyntax> NonPartialDeclarations(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var missing = new List<TypeDeclarationSyntax>();
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration
                    && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                {
                    missing.Add(declaration);
                }
            }
        }

        return missing;
    }

    /// <summary>A declaration still being typed (<c>partial class {</c>) has no name to attach members to.</summary>
    public static bool HasMissingName(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
        {
            foreach (SyntaxReference reference in current.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { Identifier.IsMissing: true })
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The nearest base type that is itself a store, or null.</summary>
    public static INamedTypeSymbol? BaseStore(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (StoreAttribute(baseType) is not null)
            {
                return baseType;
            }
        }

        return null;
    }

    /// <summary>The type's own <c>[AtomicStore]</c>, or null (also null for someone else's attribute of that name).</summary>
    public static AttributeData? StoreAttribute(INamedTypeSymbol type)
    {
        foreach (AttributeData attribute in type.GetAttributes())
        {
            if (IsStoreAttribute(attribute.AttributeClass))
            {
                return attribute;
            }
        }

        return null;
    }

    public static bool IsStoreAttribute(INamedTypeSymbol? attributeClass) =>
        attributeClass is { Name: "AtomicStoreAttribute", ContainingNamespace: { Name: "AtomicStore", ContainingNamespace: { Name: "DevRank", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>The problem with a <c>JsonContext = typeof(...)</c> type for <paramref name="store"/>.</summary>
    public static ContextProblem CheckContext(INamedTypeSymbol context, INamedTypeSymbol store, Compilation compilation)
    {
        INamedTypeSymbol? contextBase = compilation.GetTypeByMetadataName(JsonSerializerContextMetadataName);
        if (contextBase is null || context.TypeKind != TypeKind.Class || context.IsAbstract || context.IsGenericType || !DerivesFrom(context, contextBase))
        {
            return ContextProblem.NotAContext;
        }

        foreach (AttributeData attribute in context.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass
                && FullMetadataName(attributeClass) == JsonSerializableMetadataName
                && attribute.ConstructorArguments is [{ Value: INamedTypeSymbol listed }]
                && SymbolEqualityComparer.Default.Equals(listed, store))
            {
                return ContextProblem.None;
            }
        }

        return ContextProblem.DoesNotListStore;
    }

    /// <summary>
    /// Whether <paramref name="context"/> generates only serialization code for <paramref name="store"/>
    /// (<c>GenerationMode = JsonSourceGenerationMode.Serialization</c> on the context's options or on the store's
    /// <c>[JsonSerializable]</c>): it writes the store, and every load throws.
    /// </summary>
    public static bool SerializesOnly(INamedTypeSymbol context, INamedTypeSymbol store)
    {
        // JsonSourceGenerationMode: Default = 0, Metadata = 1, Serialization = 2. The store's own line wins.
        const int Serialization = 2;
        int? mode = null;
        foreach (AttributeData attribute in context.GetAttributes())
        {
            string? name = attribute.AttributeClass is { } attributeClass ? FullMetadataName(attributeClass) : null;
            if (name == JsonSerializableMetadataName
                && attribute.ConstructorArguments is [{ Value: INamedTypeSymbol listed }]
                && SymbolEqualityComparer.Default.Equals(listed, store)
                && GenerationMode(attribute) is { } own)
            {
                return own == Serialization;
            }

            if (name == "System.Text.Json.Serialization.JsonSourceGenerationOptionsAttribute")
            {
                mode = GenerationMode(attribute) ?? mode;
            }
        }

        return mode == Serialization;
    }

    private static int? GenerationMode(AttributeData attribute)
    {
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            if (argument.Key == "GenerationMode" && argument.Value.Value is int mode)
            {
                return mode;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether generated code may write <c>new T()</c>: there is a parameterless constructor (or one whose
    /// parameters are all optional), it is not private or obsolete, and it sets every <c>required</c> member.
    /// A private one is usually there for a serializer or a factory, not as an invitation to create.
    /// </summary>
    public static bool CanCreate(INamedTypeSymbol type)
    {
        IMethodSymbol? constructor = null;
        foreach (IMethodSymbol candidate in type.InstanceConstructors)
        {
            if (candidate.Parameters.IsEmpty)
            {
                constructor = candidate;
                break;
            }

            if (candidate.Parameters.All(static parameter => parameter.IsOptional || parameter.IsParams))
            {
                // Two such constructors make `new T()` ambiguous.
                if (constructor is not null)
                {
                    return false;
                }

                constructor = candidate;
            }
        }

        if (constructor is null)
        {
            // A struct always has its parameterless constructor, even where Roslyn lists none.
            return type.IsValueType && !HasRequiredMembers(type);
        }

        if (constructor.DeclaredAccessibility == Accessibility.Private || HasAttribute(constructor, ObsoleteMetadataName))
        {
            return false;
        }

        return !HasRequiredMembers(type) || HasAttribute(constructor, SetsRequiredMembersMetadataName);
    }

    /// <summary>
    /// Whether System.Text.Json's reflection reader can create the type: a struct, a public parameterless
    /// constructor, a constructor marked <c>[JsonConstructor]</c>, or exactly one public constructor.
    /// </summary>
    public static bool HasReflectionConstructor(INamedTypeSymbol type)
    {
        if (type.IsValueType)
        {
            return true;
        }

        int publicConstructors = 0;
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (HasAttribute(constructor, JsonConstructorMetadataName))
            {
                return true;
            }

            if (constructor.DeclaredAccessibility == Accessibility.Public)
            {
                if (constructor.Parameters.IsEmpty)
                {
                    return true;
                }

                publicConstructors++;
            }
        }

        return publicConstructors == 1;
    }

    /// <summary>
    /// Members of the type that the generated part would declare again: a field, property, event or nested type
    /// with a generated name, or a method with a generated method's name and parameter types. Also the type
    /// itself when its name is a generated member's (a member cannot be named like its type), and members it
    /// inherits that a generated member would hide (CS0108; the base's own <c>FileName</c> would be shadowed).
    /// </summary>
    public static List<ISymbol> GeneratedMemberCollisions(INamedTypeSymbol type)
    {
        var collisions = new List<ISymbol>();
        Dictionary<string, List<string[]>> methods = GeneratedMethods(type);
        if (Array.IndexOf(GeneratedMembers.FieldsAndProperties, type.Name) >= 0 || methods.ContainsKey(type.Name))
        {
            collisions.Add(type);
        }

        foreach (ISymbol member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || member is IMethodSymbol { MethodKind: not MethodKind.Ordinary } || IsGenerated(member))
            {
                continue;
            }

            if (Clashes(member, methods))
            {
                collisions.Add(member);
            }
        }

        AddInheritedCollisions(type, methods, collisions);
        return collisions;
    }

    /// <summary>
    /// Inherited members a generated one would hide: by name, from the nearest base outwards, looking up only the
    /// generated names (a base such as <c>List&lt;T&gt;</c> has many members). Private members are not inherited,
    /// nor internal ones of an assembly that does not share its internals; a name the type's own members already
    /// clash on is reported there alone.
    /// </summary>
    private static void AddInheritedCollisions(INamedTypeSymbol type, Dictionary<string, List<string[]>> methods, List<ISymbol> collisions)
    {
        var names = new HashSet<string>(GeneratedMembers.FieldsAndProperties, StringComparer.Ordinal);
        names.UnionWith(methods.Keys);
        names.ExceptWith(collisions.Select(static member => member.Name));
        for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null && names.Count > 0; baseType = baseType.BaseType)
        {
            var found = new List<string>();
            foreach (string name in names)
            {
                foreach (ISymbol member in baseType.GetMembers(name))
                {
                    if (!member.IsImplicitlyDeclared
                        && member is not IMethodSymbol { MethodKind: not MethodKind.Ordinary }
                        && IsInherited(member, type)
                        && !IsGenerated(member)
                        && Clashes(member, methods))
                    {
                        collisions.Add(member);
                        found.Add(name);
                    }
                }
            }

            names.ExceptWith(found);
        }
    }

    /// <summary>A generated member would clash with <paramref name="member"/>: same name, and for two methods the same parameter types.</summary>
    private static bool Clashes(ISymbol member, Dictionary<string, List<string[]>> methods) =>
        Array.IndexOf(GeneratedMembers.FieldsAndProperties, member.Name) >= 0
        // The generated part implements IAtomicStore<T>.Store explicitly (the interface names the format-neutral core).
        || (member is IPropertySymbol { ExplicitInterfaceImplementations: [{ Name: GeneratedMembers.Store } implemented] }
            && implemented.ContainingType.OriginalDefinition.ToDisplayString() == "DevRank.AtomicStore.IAtomicStore<TSelf>")
        || (methods.TryGetValue(member.Name, out List<string[]>? signatures)
            && (member is not IMethodSymbol method || signatures.Any(signature => SameParameters(method, signature))));

    private static bool IsInherited(ISymbol member, INamedTypeSymbol type) => member.DeclaredAccessibility switch
    {
        Accessibility.Private or Accessibility.NotApplicable => false,
        Accessibility.Internal or Accessibility.ProtectedAndInternal => member.ContainingAssembly.GivesAccessTo(type.ContainingAssembly),
        _ => true,
    };

    /// <summary>The generated methods this type gets, by name, with their parameter types as <see cref="ParameterType"/> writes them.</summary>
    private static Dictionary<string, List<string[]>> GeneratedMethods(INamedTypeSymbol type)
    {
        string self = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        bool canCreate = CanCreate(type);
        ITypeSymbol? item = FormatOf(type) == StoreFormat.JsonLines ? JsonLinesItemType(type) : null;
        string? itemName = item?.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var methods = new Dictionary<string, List<string[]>>(StringComparer.Ordinal);
        foreach (GeneratedMethod method in GeneratedMembers.Methods)
        {
            if (method.AppliesTo(canCreate, type.IsValueType, item is not null))
            {
                if (!methods.TryGetValue(method.Name, out List<string[]>? signatures))
                {
                    methods[method.Name] = signatures = [];
                }

                signatures.Add(method.Signature(self, itemName));
            }
        }

        return methods;
    }

    /// <summary>Our own output, which the analyzer sees once the generator has run.</summary>
    private static bool IsGenerated(ISymbol member) =>
        !member.DeclaringSyntaxReferences.IsEmpty
        && member.DeclaringSyntaxReferences.All(static reference => reference.SyntaxTree.FilePath.EndsWith(GeneratedMembers.HintNameSuffix, StringComparison.OrdinalIgnoreCase));

    private static bool SameParameters(IMethodSymbol method, string[] signature) =>
        method.Parameters.Length == signature.Length
        && method.Parameters.Select(ParameterType).SequenceEqual(signature, StringComparer.Ordinal);

    /// <summary>By-reference parameters (<c>ref</c>, <c>out</c>, <c>in</c>) cannot overload each other, so they compare as one.</summary>
    private static string ParameterType(IParameterSymbol parameter) =>
        (parameter.RefKind == RefKind.None ? "" : "ref ") + parameter.Type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol baseType)
    {
        for (INamedTypeSymbol? current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, baseType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasRequiredMembers(INamedTypeSymbol type)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { } attributeClass && FullMetadataName(attributeClass) == metadataName)
            {
                return true;
            }
        }

        return false;
    }

    public static string FullMetadataName(INamedTypeSymbol type) =>
        type.ContainingNamespace.IsGlobalNamespace
            ? type.MetadataName
            : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;
}

/// <summary>What is wrong with a store's <c>JsonContext</c>.</summary>
internal enum ContextProblem
{
    /// <summary>Usable.</summary>
    None,

    /// <summary>Not a concrete, non-generic class deriving from <c>JsonSerializerContext</c>.</summary>
    NotAContext,

    /// <summary>A context whose <c>[JsonSerializable]</c> list lacks the store type.</summary>
    DoesNotListStore,
}
