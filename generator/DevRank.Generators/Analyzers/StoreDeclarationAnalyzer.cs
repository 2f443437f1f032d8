using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using static DevRank.Generators.DiagnosticDescriptors;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// Explains why a type marked <c>[AtomicStore]</c> gets no members (or the wrong ones). It uses the same
/// <see cref="StoreRules"/> and <see cref="StoreFileNames"/> as the generator, so the two always agree. One method
/// per rule; each reports on its own and the reflection hints (DRS006, DRS008) wait until there is no error.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class StoreDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        StoreNotPartial, InvalidFileName, DuplicateFileName, UnsupportedType, InvalidJsonContext, JsonContextWithoutStore,
        NoJsonContext, NoUsableConstructor, GeneratedMemberCollision, DerivesFromStore, NegativeLockTimeout, UndefinedDurability,
        UnsupportedOption, LanguageVersionTooOld);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(StoreRules.AttributeMetadataName) is null)
            {
                return;
            }

            // Built on the first store that needs it, once per compilation.
            Compilation compilation = start.Compilation;
            var index = new Lazy<StoreIndex>(() => StoreIndex.Build(compilation, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSymbolAction(symbolContext => AnalyzeType(symbolContext, index), SymbolKind.NamedType);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, Lazy<StoreIndex> index)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (StoreRules.StoreAttribute(type) is not { } attribute
            || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax attributeSyntax
            || StoreRules.HasMissingName(type, context.CancellationToken))
        {
            return;
        }

        var store = new Store(context, type, attribute, attributeSyntax);
        CheckLanguageVersion(store);
        CheckPartial(store);
        CheckShape(store);
        CheckBaseStore(store);
        CheckMemberCollisions(store);
        CheckFileName(store, index);
        foreach (KeyValuePair<string, TypedConstant> option in attribute.NamedArguments)
        {
            CheckOption(store, option.Key, option.Value);
        }

        if (!store.HasError)
        {
            CheckReflection(store);
        }
    }

    /// <summary>DRS013: below C# 9 the generated part could not compile, so the generator emits nothing.</summary>
    private static void CheckLanguageVersion(Store store)
    {
        LanguageVersion version = StoreRules.LanguageVersionOf(store.Syntax.SyntaxTree);
        if (version < StoreRules.MinimumLanguageVersion)
        {
            store.Report(LanguageVersionTooOld, store.Syntax.GetLocation(), store.Name, StoreRules.MinimumLanguageVersion.ToDisplayString(), version.ToDisplayString());
        }
    }

    /// <summary>DRS001: the store and every type around it must be partial.</summary>
    private static void CheckPartial(Store store)
    {
        foreach (TypeDeclarationSyntax declaration in StoreRules.NonPartialDeclarations(store.Type, store.CancellationToken))
        {
            store.Report(StoreNotPartial, declaration.Identifier.GetLocation(), declaration.Identifier.ValueText, store.Name);
        }
    }

    /// <summary>DRS004: generic, static, abstract, an interface, a ref struct, file-local...</summary>
    private static void CheckShape(Store store)
    {
        if (StoreRules.UnsupportedShape(store.Type) is { } why)
        {
            store.Report(UnsupportedType, store.TypeLocation, store.Name, why);
        }
    }

    /// <summary>DRS010: a store deriving from a store would declare every member twice.</summary>
    private static void CheckBaseStore(Store store)
    {
        if (StoreRules.BaseStore(store.Type) is { } baseStore)
        {
            store.Report(DerivesFromStore, store.TypeLocation, store.Name, baseStore.Name);
        }
    }

    /// <summary>DRS009: a member, an inherited member or the type's own name that a generated member would clash with.</summary>
    private static void CheckMemberCollisions(Store store)
    {
        foreach (ISymbol member in StoreRules.GeneratedMemberCollisions(store.Type))
        {
            bool isType = SymbolEqualityComparer.Default.Equals(member, store.Type);
            bool inherited = !isType && !SymbolEqualityComparer.Default.Equals(member.ContainingType, store.Type);
            string what = isType
                ? $"The type name '{store.Name}'"
                : $"The {Kind(member)} '{member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'"
                    + (inherited ? $", inherited from '{member.ContainingType!.Name}'," : "");

            // An inherited member may be in metadata or another file: the store's name is where the clash arises.
            store.Report(GeneratedMemberCollision, isType || inherited ? store.TypeLocation : member.Locations[0], what, member.Name, store.Name);
        }
    }

    /// <summary>DRS002 for a name that breaks a rule, then DRS003 for a good name another store also uses.</summary>
    private static void CheckFileName(Store store, Lazy<StoreIndex> index)
    {
        // A missing or non-string argument is the compiler's to report.
        if (store.Attribute.ConstructorArguments is not [{ Kind: TypedConstantKind.Primitive, Value: null or string } argument])
        {
            return;
        }

        string? fileName = (string?)argument.Value;
        if (StoreFileNames.Validate(fileName) is { } problem)
        {
            Location location = store.Syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression.GetLocation() ?? store.Syntax.GetLocation();
            store.Report(InvalidFileName, location, fileName ?? "", problem);
            return;
        }

        foreach (StoreIndex.Entry other in index.Value.SameFile(fileName!, store.Type))
        {
            store.Report(DuplicateFileName, store.Syntax.GetLocation(), store.Name, fileName, other.Type.Name);
        }
    }

    /// <summary>One named argument: DRS012 when the generator cannot read it, else the rule for its value.</summary>
    private static void CheckOption(Store store, string option, TypedConstant value)
    {
        if (value.Kind == TypedConstantKind.Error)
        {
            return; // Half-typed: the compiler's to report.
        }

        if (!StoreRules.IsSupportedOption(option, value))
        {
            store.Report(UnsupportedOption, store.NamedArgument(option)?.GetLocation() ?? store.Syntax.GetLocation(), store.Name, option);
            return;
        }

        Location location = store.NamedArgument(option)?.Expression.GetLocation() ?? store.Syntax.GetLocation();
        switch (option)
        {
            case "JsonContext" when value.Value is INamedTypeSymbol context:
                store.HasContext = true;
                CheckJsonContext(store, context, location);
                break;
            case "LockTimeoutMilliseconds" when value.Value is int milliseconds && milliseconds < 0:
                store.Report(NegativeLockTimeout, location, store.Name, milliseconds);
                break;
            case "Durability" when !StoreRules.IsDefinedDurability(value.Value):
                store.Report(UndefinedDurability, location, store.Name, value.Value, StoreRules.DurabilityNames());
                break;
        }
    }

    /// <summary>DRS005: not a context at all, or a context that does not list the store.</summary>
    private static void CheckJsonContext(Store store, INamedTypeSymbol context, Location location)
    {
        ContextProblem problem = StoreRules.CheckContext(context, store.Type, store.Compilation);
        if (problem == ContextProblem.None)
        {
            return;
        }

        // The code fix reads which problem it is.
        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty.Add(ContextProblemProperty, problem.ToString());
        if (problem == ContextProblem.NotAContext)
        {
            store.Report(InvalidJsonContext, location, properties, context.Name);
        }
        else
        {
            store.Report(JsonContextWithoutStore, location, properties, context.Name, store.Name);
        }
    }

    /// <summary>DRS006 for a store without a context, and DRS008 when the reflection reader could not create it.</summary>
    private static void CheckReflection(Store store)
    {
        if (store.HasContext)
        {
            return;
        }

        store.Report(NoJsonContext, store.Syntax.GetLocation(), store.Name);
        if (!StoreRules.HasReflectionConstructor(store.Type))
        {
            store.Report(NoUsableConstructor, store.TypeLocation, store.Name);
        }
    }

    private static string Kind(ISymbol member) => member switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol => "field",
        IEventSymbol => "event",
        INamedTypeSymbol => "nested type",
        _ => "member",
    };

    /// <summary>One store being analyzed: what every rule needs, and whether any has reported an error.</summary>
    private sealed class Store(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute, AttributeSyntax syntax)
    {
        public INamedTypeSymbol Type { get; } = type;

        public AttributeData Attribute { get; } = attribute;

        public AttributeSyntax Syntax { get; } = syntax;

        public string Name => Type.Name;

        public Compilation Compilation => context.Compilation;

        public CancellationToken CancellationToken => context.CancellationToken;

        /// <summary>The type's name in the declaration that carries the attribute.</summary>
        public Location TypeLocation { get; } = syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>()?.Identifier.GetLocation() ?? type.Locations[0];

        public bool HasError { get; private set; }

        public bool HasContext { get; set; }

        public AttributeArgumentSyntax? NamedArgument(string name) =>
            Syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

        public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments) =>
            Report(descriptor, location, null, arguments);

        public void Report(DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?>? properties, params object?[] arguments)
        {
            HasError |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, arguments));
        }
    }
}
