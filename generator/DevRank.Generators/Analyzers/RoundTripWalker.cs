using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using static DevRank.Generators.DiagnosticDescriptors;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// Walks every store's type and the types reachable from it (members, items of collections, nullable values) the way
/// System.Text.Json does, and records each member whose data would not come back from a save and a load. Built once
/// per compilation; each finding is keyed by the member (or store type) it is reported on, so a type reached from
/// two stores or two members is reported once.
/// </summary>
internal sealed class RoundTripWalker
{
    /// <summary>Deep enough for real models; a bound against recursive generic types that never repeat exactly.</summary>
    private const int MaxDepth = 16;

    private readonly Dictionary<ISymbol, List<Diagnostic>> _findings = new(SymbolEqualityComparer.Default);
    private readonly HashSet<ISymbol> _replacedOnLoad = new(SymbolEqualityComparer.Default);
    private readonly Lazy<ILookup<ISymbol, INamedTypeSymbol>> _derived;
    private readonly CancellationToken _cancellationToken;

    private RoundTripWalker(Compilation compilation, CancellationToken cancellationToken)
    {
        _cancellationToken = cancellationToken;
        _derived = new(() => DerivedTypes(compilation));
    }

    public static RoundTripWalker Build(Compilation compilation, StoreIndex stores, CancellationToken cancellationToken)
    {
        var walker = new RoundTripWalker(compilation, cancellationToken);
        // Stores with a context first: where a member is reached from both kinds, the stricter context advice wins.
        foreach ((INamedTypeSymbol store, JsonOptions options) in stores.All
            .Select(static e => (e.Type, Options: JsonOptions.For(e.Type)))
            .OrderBy(static s => s.Options.HasContext ? 0 : 1)
            .ThenBy(static s => s.Type.ToDisplayString(), StringComparer.Ordinal))
        {
            if (!JsonRules.HasConverter(store))
            {
                walker.Visit(store, null, store, options, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default), 0);
                walker.CheckCreatedValue(store);
            }
        }

        return walker;
    }

    /// <summary>
    /// DRS026: <c>LoadOrCreate</c> and <c>Update</c> start from <c>new T()</c> when the file is missing. A member that
    /// value leaves at a default System.Text.Json cannot write (<c>default(ImmutableArray&lt;T&gt;)</c>,
    /// <c>default(JsonElement)</c>) makes that first save throw. Only members without an initializer, and only where no
    /// hand-written parameterless constructor could set them.
    /// </summary>
    private void CheckCreatedValue(INamedTypeSymbol store)
    {
        if (!StoreRules.CanCreate(store)
            || store.InstanceConstructors.Any(static c => c.Parameters.IsEmpty && !c.IsImplicitlyDeclared))
        {
            return;
        }

        foreach (ISymbol member in SerializableMembers(store))
        {
            ITypeSymbol? type = member switch
            {
                IPropertySymbol { GetMethod: not null } property when property.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public => property.Type,
                IFieldSymbol field when field.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public || StoreRules.HasAttribute(field, JsonRules.JsonInclude) => field.Type,
                _ => null,
            };
            string? what = type switch
            {
                INamedTypeSymbol { Name: "ImmutableArray", Arity: 1 } array when array.ContainingNamespace.ToDisplayString() == "System.Collections.Immutable" =>
                    $"default({array.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat)})",
                INamedTypeSymbol { Name: "JsonElement" } element when element.ContainingNamespace.ToDisplayString() == "System.Text.Json" => "default(JsonElement)",
                _ => null,
            };
            if (what is not null && !HasInitializer(member))
            {
                Add(member, DefaultNotSaveable, member.Name, what, store.Name);
            }
        }
    }

    private static bool HasInitializer(ISymbol member) => member.DeclaringSyntaxReferences.Any(static reference => reference.GetSyntax() switch
    {
        Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax property => property.Initializer is not null,
        Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax variable => variable.Initializer is not null,
        _ => true, // A primary constructor parameter, or something else we cannot see into: assume it is set.
    });

    /// <summary>The findings reported on <paramref name="symbol"/>.</summary>
    public IReadOnlyList<Diagnostic> For(ISymbol symbol) => _findings.TryGetValue(symbol, out List<Diagnostic>? found) ? found : [];

    /// <summary>Whether a load assigns a new value to <paramref name="member"/> through its setter, replacing its initializer's.</summary>
    public bool IsReplacedOnLoad(ISymbol member) => _replacedOnLoad.Contains(member);

    /// <param name="type">The type reached.</param>
    /// <param name="via">The member it was reached through, or null for the store itself.</param>
    /// <param name="store">The store, where a finding about the root is reported.</param>
    /// <param name="options">The store's JSON options.</param>
    /// <param name="visited">The types this store already reached.</param>
    /// <param name="depth">How many members deep this is.</param>
    private void Visit(ITypeSymbol type, ISymbol? via, INamedTypeSymbol store, JsonOptions options, HashSet<ITypeSymbol> visited, int depth)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (depth > MaxDepth || JsonRules.HasConverter(type))
        {
            return;
        }

        CheckValue(type, via, store, options);
        if (!visited.Add(type))
        {
            return;
        }

        if (JsonRules.IsCollection(type))
        {
            if (type is INamedTypeSymbol collection && collection.Locations.Any(static l => l.IsInSource))
            {
                CheckCollectionMembers(collection);
            }

            if (JsonRules.ItemType(type) is { } item)
            {
                Visit(item, via, store, options, visited, depth + 1);
            }

            return;
        }

        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named || !named.Locations.Any(static l => l.IsInSource))
        {
            return;
        }

        IMethodSymbol? constructor = JsonRules.ParameterizedConstructor(named);
        CheckConstructor(named, constructor);
        foreach (ISymbol member in SerializableMembers(named))
        {
            if (member is IFieldSymbol field)
            {
                bool isPublic = field.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public;
                if (!StoreRules.HasAttribute(field, JsonRules.JsonInclude) && !(isPublic && options.IncludeFields))
                {
                    if (isPublic)
                    {
                        Add(field, FieldNotSaved, field.Name);
                    }

                    continue; // A non-public field is private state, not data.
                }

                if (!field.IsReadOnly)
                {
                    _replacedOnLoad.Add(field);
                }
            }
            else if (member is IPropertySymbol property)
            {
                if (property.GetMethod is null || !IsWritten(property))
                {
                    continue;
                }

                CheckLoaded(property, named, constructor, options);
            }

            Visit(Type(member), member, store, options, visited, depth + 1);
        }
    }

    /// <summary>DRS026: a parameter of the constructor STJ uses that binds to no member makes every load throw.</summary>
    private void CheckConstructor(INamedTypeSymbol type, IMethodSymbol? constructor)
    {
        if (constructor is null)
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IPropertySymbol { IsStatic: false, IsIndexer: false } or IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false, DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Public })
                {
                    names.Add(member.Name);
                }
            }
        }

        foreach (IParameterSymbol parameter in constructor.Parameters)
        {
            if (!names.Contains(parameter.Name) && parameter.Locations.FirstOrDefault(static l => l.IsInSource) is { } location)
            {
                Add(type, UnboundConstructorParameter, null, location, parameter.Name, type.Name);
            }
        }
    }

    /// <summary>DRS021/DRS022: a written property that a load does not set.</summary>
    private void CheckLoaded(IPropertySymbol property, INamedTypeSymbol type, IMethodSymbol? constructor, JsonOptions options)
    {
        if (JsonRules.IsConstructorParameter(property, constructor) || StoreRules.HasAttribute(property, JsonRules.JsonExtensionData))
        {
            return; // The constructor receives the value: an initializer that wraps the parameter keeps what it adds.
        }

        IMethodSymbol? setter = property.SetMethod;
        if (setter is not null && (setter.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public || StoreRules.HasAttribute(property, JsonRules.JsonInclude)))
        {
            _replacedOnLoad.Add(property);
            return;
        }

        if (JsonRules.IsCollection(property.Type) && JsonRules.CanPopulate(property.Type))
        {
            if (!JsonRules.Populates(property, options))
            {
                Add(property, ReadOnlyCollection, property.Name);
            }

            return;
        }

        if (setter is null && (options.IgnoreReadOnlyProperties || !JsonRules.IsAutoProperty(property, _cancellationToken)))
        {
            return; // Not written at all, or computed from other state: nothing is lost.
        }

        if (type.IsValueType && setter is null && type.InstanceConstructors.Any(c => JsonRules.IsConstructorParameter(property, c)))
        {
            Add(property, StructPropertyNotLoaded, property.Name, type.Name);
            return;
        }

        if (setter is null)
        {
            Add(property, PropertyNotLoaded, property.Name, "it has no setter", "add a constructor parameter named after it, or a setter");
        }
        else if (options.HasContext && setter.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Private or Microsoft.CodeAnalysis.Accessibility.Protected or Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal)
        {
            // The source generator cannot call a private setter (SYSLIB1038): internal is the least it can reach.
            Add(
                property,
                PropertyNotLoaded,
                ImmutableDictionary<string, string?>.Empty.Add(MakeSetterInternalProperty, "true"),
                property.Name,
                $"its setter is {SetterAccess(setter)}",
                "add [JsonInclude] and make the setter internal (a JsonSerializerContext cannot call a private one), make it public, or add a constructor parameter named after it");
        }
        else
        {
            Add(property, PropertyNotLoaded, property.Name, $"its setter is {SetterAccess(setter)}", "add [JsonInclude], make the setter public, or add a constructor parameter named after it");
        }
    }

    /// <summary>DRS023, DRS024, DRS025, DRS026: what the type of a member (or the store) itself loses.</summary>
    private void CheckValue(ITypeSymbol type, ISymbol? via, INamedTypeSymbol store, JsonOptions options)
    {
        ISymbol at = via ?? store;
        string name = at.Name;
        if (type.SpecialType == SpecialType.System_Object && via is not null && !StoreRules.HasAttribute(via, JsonRules.JsonExtensionData))
        {
            Add(at, ObjectAsJsonElement, name);
        }
        else if (JsonRules.IsStack(type))
        {
            Add(at, StackReversed, name);
        }
        else if (type.IsTupleType && !options.IncludeFields)
        {
            Add(at, TupleNotSaved, name);
        }
        else if (JsonRules.IsUnloadableCollection(type))
        {
            Add(at, NotLoadableCollection, name, type.Name);
        }
        else if (via is not null
            && type is INamedTypeSymbol { TypeKind: TypeKind.Interface } or INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: true }
            && type.Locations.Any(static l => l.IsInSource)
            && !JsonRules.IsCollection(type)
            && !StoreRules.HasAttribute(type, JsonRules.JsonDerivedType)
            && !StoreRules.HasAttribute(type, JsonRules.JsonPolymorphic))
        {
            Add(at, AbstractMember, name, type.TypeKind == TypeKind.Interface ? "interface" : "abstract class", type.Name);
        }
        else if (type is INamedTypeSymbol { TypeKind: TypeKind.Class, IsSealed: false } named
            && named.Locations.Any(static l => l.IsInSource)
            && !StoreRules.HasAttribute(named, JsonRules.JsonDerivedType)
            && !StoreRules.HasAttribute(named, JsonRules.JsonPolymorphic)
            && _derived.Value[named.OriginalDefinition].Where(static d => d.GetMembers().Any(IsOwnData)).ToList() is { Count: > 0 } derived)
        {
            Add(at, DerivedMembers, name, named.Name, string.Join(", ", derived.Select(static d => d.Name).OrderBy(static n => n, StringComparer.Ordinal)));
        }
    }

    /// <summary>DRS023: a collection type declared here with public properties of its own (state, not computed), which JSON has no room for.</summary>
    private void CheckCollectionMembers(INamedTypeSymbol collection)
    {
        foreach (ISymbol member in collection.GetMembers())
        {
            if (IsOwnData(member)
                && (((IPropertySymbol)member).SetMethod is not null || JsonRules.IsAutoProperty((IPropertySymbol)member, _cancellationToken))
                && !JsonRules.IsIgnored(member))
            {
                Add(member, CollectionMembers, member.Name, collection.Name);
            }
        }
    }

    /// <summary>A public instance property with a getter that is not an indexer: what a derived or collection type adds.</summary>
    private static bool IsOwnData(ISymbol member) =>
        member is IPropertySymbol { IsStatic: false, IsIndexer: false, DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Public, GetMethod: not null, IsImplicitlyDeclared: false }
        && !member.IsOverride;

    /// <summary>The instance fields and properties STJ considers, base types first, minus <c>[JsonIgnore]</c>.</summary>
    private static IEnumerable<ISymbol> SerializableMembers(INamedTypeSymbol type)
    {
        var chain = new Stack<INamedTypeSymbol>();
        for (INamedTypeSymbol? current = type; current is not null && current.SpecialType is not (SpecialType.System_Object or SpecialType.System_ValueType); current = current.BaseType)
        {
            chain.Push(current);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (INamedTypeSymbol current in chain.Reverse())
        {
            foreach (ISymbol member in current.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false, IsConst: false, IsImplicitlyDeclared: false, AssociatedSymbol: null } or IPropertySymbol { IsStatic: false, IsIndexer: false }
                    && !JsonRules.IsIgnored(member)
                    && seen.Add(member.Name))
                {
                    yield return member;
                }
            }
        }
    }

    /// <summary>STJ writes a property with a public getter, or any getter with <c>[JsonInclude]</c>.</summary>
    private static bool IsWritten(IPropertySymbol property) =>
        property.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public && property.GetMethod?.DeclaredAccessibility == Microsoft.CodeAnalysis.Accessibility.Public
        || StoreRules.HasAttribute(property, JsonRules.JsonInclude);

    private static ITypeSymbol Type(ISymbol member) => member is IFieldSymbol field ? field.Type : ((IPropertySymbol)member).Type;

    private static string SetterAccess(IMethodSymbol setter) => setter switch
    {
        { IsInitOnly: true, DeclaredAccessibility: not Microsoft.CodeAnalysis.Accessibility.Public } => "a non-public init",
        { DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Private } => "private",
        { DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Protected } => "protected",
        { DeclaredAccessibility: Microsoft.CodeAnalysis.Accessibility.Internal } => "internal",
        _ => "not public",
    };

    private void Add(ISymbol at, DiagnosticDescriptor descriptor, params object[] arguments) => Add(at, descriptor, null, null, arguments);

    private void Add(ISymbol at, DiagnosticDescriptor descriptor, ImmutableDictionary<string, string?>? properties, params object[] arguments) =>
        Add(at, descriptor, properties, null, arguments);

    /// <summary>Records a finding reported with <paramref name="at"/>, at <paramref name="location"/> or <paramref name="at"/>'s own.</summary>
    private void Add(ISymbol at, DiagnosticDescriptor descriptor, ImmutableDictionary<string, string?>? properties, Location? location, params object[] arguments)
    {
        location ??= at.Locations.FirstOrDefault(static l => l.IsInSource);
        if (location is null)
        {
            return;
        }

        if (!_findings.TryGetValue(at, out List<Diagnostic>? list))
        {
            _findings[at] = list = [];
        }

        if (!list.Any(d => d.Descriptor == descriptor && d.Location == location))
        {
            list.Add(Diagnostic.Create(descriptor, location, properties, arguments));
        }
    }

    /// <summary>Every class declared in this compilation, by each of its base classes.</summary>
    private ILookup<ISymbol, INamedTypeSymbol> DerivedTypes(Compilation compilation)
    {
        var pairs = new List<(INamedTypeSymbol Base, INamedTypeSymbol Derived)>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            _cancellationToken.ThrowIfCancellationRequested();
            INamespaceOrTypeSymbol current = pending.Pop();
            foreach (INamespaceOrTypeSymbol member in current is INamespaceSymbol ns ? ns.GetMembers() : ((INamedTypeSymbol)current).GetTypeMembers())
            {
                pending.Push(member);
            }

            if (current is INamedTypeSymbol type)
            {
                for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
                {
                    pairs.Add((baseType.OriginalDefinition, type));
                }
            }
        }

        return pairs.ToLookup(static p => (ISymbol)p.Base, static p => p.Derived, SymbolEqualityComparer.Default);
    }
}
