using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// What System.Text.Json does with a type's members, as far as the round-trip rules need it: which members it
/// writes, which it reads back, which constructor it creates a type with. Pure functions of symbols, written from
/// STJ's <c>DefaultJsonTypeInfoResolver</c> and its source generator's parser, which agree on all of it.
/// </summary>
internal static class JsonRules
{
    private const string Serialization = "System.Text.Json.Serialization.";
    public const string JsonIgnore = Serialization + "JsonIgnoreAttribute";
    public const string JsonInclude = Serialization + "JsonIncludeAttribute";
    public const string JsonConstructor = Serialization + "JsonConstructorAttribute";
    public const string JsonConverter = Serialization + "JsonConverterAttribute";
    public const string JsonExtensionData = Serialization + "JsonExtensionDataAttribute";
    public const string JsonDerivedType = Serialization + "JsonDerivedTypeAttribute";
    public const string JsonPolymorphic = Serialization + "JsonPolymorphicAttribute";
    public const string JsonObjectCreationHandling = Serialization + "JsonObjectCreationHandlingAttribute";
    public const string JsonSourceGenerationOptions = Serialization + "JsonSourceGenerationOptionsAttribute";

    /// <summary>The value of <c>JsonObjectCreationHandling.Populate</c>.</summary>
    private const int Populate = 1;

    /// <summary><c>[JsonIgnore]</c> with the default <c>Condition = Always</c>: never written, never read.</summary>
    public static bool IsIgnored(ISymbol member)
    {
        foreach (AttributeData attribute in member.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == JsonIgnore)
            {
                return !attribute.NamedArguments.Any(static a => a.Key == "Condition" && a.Value.Value is int condition && condition != 0);
            }
        }

        return false;
    }

    /// <summary>Whether <c>[JsonObjectCreationHandling(Populate)]</c> is on the member or its type, or the options prefer it.</summary>
    public static bool Populates(ISymbol member, JsonOptions options)
    {
        if (options.PreferPopulate)
        {
            return true;
        }

        foreach (ISymbol where in new[] { member, member.ContainingType })
        {
            foreach (AttributeData attribute in where.GetAttributes())
            {
                if (attribute.AttributeClass?.ToDisplayString() == JsonObjectCreationHandling)
                {
                    return attribute.ConstructorArguments is [{ Value: int handling }] && handling == Populate;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The constructor STJ creates <paramref name="type"/> with when it has parameters, or null for a parameterless
    /// one: <c>[JsonConstructor]</c> (public or not), else a public parameterless one, else the only public one. A struct
    /// without <c>[JsonConstructor]</c> is created with its default constructor.
    /// </summary>
    public static IMethodSymbol? ParameterizedConstructor(INamedTypeSymbol type)
    {
        IMethodSymbol? marked = null;
        IMethodSymbol? parameterless = null;
        var publicOnes = new List<IMethodSymbol>();
        foreach (IMethodSymbol constructor in type.InstanceConstructors)
        {
            if (StoreRules.HasAttribute(constructor, JsonConstructor))
            {
                marked = constructor;
            }

            if (constructor.DeclaredAccessibility == Accessibility.Public)
            {
                publicOnes.Add(constructor);
                if (constructor.Parameters.IsEmpty)
                {
                    parameterless = constructor;
                }
            }
        }

        if (marked is not null)
        {
            return marked.Parameters.IsEmpty ? null : marked;
        }

        if (type.IsValueType || parameterless is not null)
        {
            return null;
        }

        return publicOnes.Count == 1 ? publicOnes[0] : null;
    }

    /// <summary>Whether a constructor parameter fills <paramref name="member"/>: STJ matches names ignoring case.</summary>
    public static bool IsConstructorParameter(ISymbol member, IMethodSymbol? constructor) =>
        constructor is not null && constructor.Parameters.Any(p => string.Equals(p.Name, member.Name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A <c>[JsonConverter]</c> on the type: it writes and reads the type itself, so nothing here applies.</summary>
    public static bool HasConverter(ISymbol symbol) => StoreRules.HasAttribute(symbol, JsonConverter);

    /// <summary>Whether the type is a JSON array or object of items: it implements <c>IEnumerable</c> and is not a string.</summary>
    public static bool IsCollection(ITypeSymbol type) =>
        type.SpecialType != SpecialType.System_String
        && (type.SpecialType == SpecialType.System_Collections_IEnumerable || type.AllInterfaces.Any(static i => i.SpecialType == SpecialType.System_Collections_IEnumerable));

    /// <summary>The item type of a collection (a dictionary's value type), or null.</summary>
    public static ITypeSymbol? ItemType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        ITypeSymbol? item = null;
        foreach (INamedTypeSymbol candidate in Self(type).Concat(type.AllInterfaces))
        {
            string name = candidate.OriginalDefinition.ToDisplayString();
            if (name is "System.Collections.Generic.IDictionary<TKey, TValue>" or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>")
            {
                return candidate.TypeArguments[1];
            }

            if (candidate.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                item ??= candidate.TypeArguments[0];
            }
        }

        return item;
    }

    /// <summary>
    /// A type declared here that implements <c>IEnumerable</c> but nothing STJ can fill (<c>ICollection&lt;T&gt;</c>,
    /// <c>IList</c>, a dictionary) and derives from no framework collection: a load throws NotSupportedException.
    /// </summary>
    public static bool IsUnloadableCollection(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, IsAbstract: false } named
            || !IsCollection(type)
            || !named.Locations.Any(static l => l.IsInSource)
            || HasConverter(named)
            || named.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) })
        {
            return false;
        }

        return !named.AllInterfaces.Any(static i =>
            i.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_ICollection_T or SpecialType.System_Collections_Generic_IList_T
            || i.ToDisplayString() is "System.Collections.IList" or "System.Collections.IDictionary"
            || i.OriginalDefinition.ToDisplayString() == "System.Collections.Generic.IDictionary<TKey, TValue>");
    }

    /// <summary>
    /// Whether <c>Populate</c> can fill the collection in place: it has an <c>Add</c> STJ knows (<c>ICollection&lt;T&gt;</c>,
    /// a dictionary, <c>IList</c>) and is not read-only or immutable. STJ throws InvalidOperationException for Populate
    /// on an <c>IReadOnlyList&lt;T&gt;</c> or an <c>ImmutableArray&lt;T&gt;</c>.
    /// </summary>
    public static bool CanPopulate(ITypeSymbol type)
    {
        string ns = type.OriginalDefinition.ContainingNamespace?.ToDisplayString() ?? "";
        if (ns == "System.Collections.Immutable" || type.OriginalDefinition.ToDisplayString().StartsWith("System.Collections.ObjectModel.ReadOnly", StringComparison.Ordinal))
        {
            return false;
        }

        return Self(type).Concat(type.AllInterfaces).Any(static i =>
            i.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_ICollection_T or SpecialType.System_Collections_Generic_IList_T
            || i.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.IDictionary<TKey, TValue>" or "System.Collections.IList" or "System.Collections.IDictionary");
    }

    /// <summary><c>Stack&lt;T&gt;</c>, <c>ConcurrentStack&lt;T&gt;</c>, <c>Stack</c>, or a type deriving from one.</summary>
    public static bool IsStack(ITypeSymbol type)
    {
        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            if (current.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.Stack<T>" or "System.Collections.Concurrent.ConcurrentStack<T>" or "System.Collections.Stack")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether a property's declaration is an auto-property (<c>{ get; }</c>, <c>{ get; private set; }</c>): state, not a computed value.</summary>
    public static bool IsAutoProperty(IPropertySymbol property, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in property.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is PropertyDeclarationSyntax { ExpressionBody: null, AccessorList: { } accessors }
                && accessors.Accessors.All(static a => a.Body is null && a.ExpressionBody is null))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<INamedTypeSymbol> Self(ITypeSymbol type) => type is INamedTypeSymbol named ? [named] : [];
}

/// <summary>The options of a store's <c>JsonSerializerContext</c> that change what is saved; STJ's defaults without one.</summary>
internal sealed record JsonOptions(bool HasContext, bool IncludeFields, bool PreferPopulate, bool IgnoreReadOnlyProperties)
{
    public static readonly JsonOptions Default = new(false, false, false, false);

    /// <summary>The options of the store's context: its <c>[JsonSourceGenerationOptions]</c>.</summary>
    public static JsonOptions For(INamedTypeSymbol store)
    {
        if (StoreRules.StoreAttribute(store)?.NamedArguments.FirstOrDefault(static a => a.Key == "JsonContext").Value.Value is not INamedTypeSymbol context)
        {
            return Default;
        }

        JsonOptions options = Default with { HasContext = true };
        foreach (AttributeData attribute in context.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == JsonRules.JsonSourceGenerationOptions)
            {
                bool Flag(string name) => attribute.NamedArguments.Any(a => a.Key == name && a.Value.Value is true);
                return new JsonOptions(
                    true,
                    Flag("IncludeFields"),
                    attribute.NamedArguments.Any(static a => a.Key == "PreferredObjectCreationHandling" && a.Value.Value is 1),
                    Flag("IgnoreReadOnlyProperties"));
            }
        }

        return options;
    }
}
