using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using static DevRank.Generators.DiagnosticDescriptors;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// Explains why a type marked <c>[AtomicStore]</c> gets no members (or the wrong ones). It uses the same
/// <see cref="StoreRules"/> and <see cref="StoreFileNames"/> as the generator, so the two always agree.
/// </summary>
[DiagnosticAnalyzer(Microsoft.CodeAnalysis.LanguageNames.CSharp)]
public sealed class StoreDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        StoreNotPartial, InvalidFileName, DuplicateFileName, UnsupportedType, InvalidJsonContext, NoJsonContext,
        NoUsableConstructor, GeneratedMemberCollision, DerivesFromStore, InvalidOption, UnsupportedOption);

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

        CancellationToken cancellationToken = context.CancellationToken;
        Location typeLocation = attributeSyntax.FirstAncestorOrSelf<TypeDeclarationSyntax>()?.Identifier.GetLocation() ?? type.Locations[0];
        string name = type.Name;
        bool hasError = false;

        void Report(DiagnosticDescriptor descriptor, Location location, ImmutableDictionary<string, string?>? properties, params object?[] arguments)
        {
            hasError |= descriptor.DefaultSeverity == DiagnosticSeverity.Error;
            context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties, arguments));
        }

        foreach (TypeDeclarationSyntax declaration in StoreRules.NonPartialDeclarations(type, cancellationToken))
        {
            Report(StoreNotPartial, declaration.Identifier.GetLocation(), null, declaration.Identifier.ValueText, name);
        }

        if (StoreRules.UnsupportedShape(type) is { } why)
        {
            Report(UnsupportedType, typeLocation, null, name, why);
        }

        if (StoreRules.BaseStore(type) is { } baseStore)
        {
            Report(DerivesFromStore, typeLocation, null, name, baseStore.Name);
        }

        foreach (ISymbol member in StoreRules.GeneratedMemberCollisions(type))
        {
            string what = SymbolEqualityComparer.Default.Equals(member, type)
                ? $"The type name '{name}'"
                : $"The {Kind(member)} '{member.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)}'";
            Location location = SymbolEqualityComparer.Default.Equals(member, type) ? typeLocation : member.Locations[0];
            Report(GeneratedMemberCollision, location, null, what, member.Name, name);
        }

        string? fileName = CheckFileName(attribute, attributeSyntax, Report);
        if (fileName is not null)
        {
            foreach (StoreIndex.Entry other in index.Value.SameFile(fileName, type))
            {
                Report(DuplicateFileName, attributeSyntax.GetLocation(), null, name, fileName, other.Type.Name);
            }
        }

        bool hasContext = false;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            TypedConstant value = argument.Value;
            Location location = NamedArgument(attributeSyntax, argument.Key)?.Expression.GetLocation() ?? attributeSyntax.GetLocation();
            if (value.Kind != TypedConstantKind.Error && !StoreRules.IsSupportedOption(argument.Key, value))
            {
                Report(UnsupportedOption, NamedArgument(attributeSyntax, argument.Key)?.GetLocation() ?? attributeSyntax.GetLocation(), null, name, argument.Key);
                continue;
            }

            switch (argument.Key)
            {
                case "JsonContext" when value.Value is INamedTypeSymbol jsonContext:
                    hasContext = true;
                    ContextProblem problem = StoreRules.CheckContext(jsonContext, type, context.Compilation);
                    if (problem != ContextProblem.None)
                    {
                        string message = problem == ContextProblem.NotAContext
                            ? $"'{jsonContext.Name}' is not a usable JsonSerializerContext: JsonContext must name a concrete, non-generic class deriving from System.Text.Json.Serialization.JsonSerializerContext"
                            : $"The JsonContext '{jsonContext.Name}' has no metadata for '{name}': add [JsonSerializable(typeof({name}))] to '{jsonContext.Name}'";
                        Report(InvalidJsonContext, location, ImmutableDictionary<string, string?>.Empty.Add(ContextProblemProperty, problem.ToString()), message);
                    }

                    break;
                case "LockTimeoutMilliseconds" when value.Value is int milliseconds && milliseconds < 0:
                    Report(InvalidOption, location, null, $"LockTimeoutMilliseconds of store '{name}' is {milliseconds}; it must be 0 or more");
                    break;
                case "Durability" when !StoreRules.IsDefinedDurability(value.Value):
                    Report(InvalidOption, location, null, $"Durability of store '{name}' is {value.Value}, which is not a Durability value; use {StoreRules.DurabilityNames()}");
                    break;
            }
        }

        if (hasError)
        {
            return;
        }

        if (!hasContext)
        {
            Report(NoJsonContext, attributeSyntax.GetLocation(), null, name);
            if (!StoreRules.HasReflectionConstructor(type))
            {
                Report(NoUsableConstructor, typeLocation, null, name);
            }
        }
    }

    /// <summary>Reports a bad file name and returns the name when it is good.</summary>
    private static string? CheckFileName(AttributeData attribute, AttributeSyntax syntax, Action<DiagnosticDescriptor, Location, ImmutableDictionary<string, string?>?, object?[]> report)
    {
        // A missing or non-string argument is the compiler's to report.
        if (attribute.ConstructorArguments.Length != 1
            || attribute.ConstructorArguments[0] is not { Kind: TypedConstantKind.Primitive, Value: null or string } argument)
        {
            return null;
        }

        string? fileName = (string?)argument.Value;
        if (StoreFileNames.Validate(fileName) is { } problem)
        {
            Location location = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null)?.Expression.GetLocation() ?? syntax.GetLocation();
            report(InvalidFileName, location, null, [problem.TrimEnd('.')]);
            return null;
        }

        return fileName;
    }

    private static AttributeArgumentSyntax? NamedArgument(AttributeSyntax syntax, string name) =>
        syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);

    private static string Kind(ISymbol member) => member switch
    {
        IMethodSymbol => "method",
        IPropertySymbol => "property",
        IFieldSymbol => "field",
        IEventSymbol => "event",
        INamedTypeSymbol => "nested type",
        _ => "member",
    };
}
