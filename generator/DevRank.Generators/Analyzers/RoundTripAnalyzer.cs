using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using static DevRank.Generators.DiagnosticDescriptors;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// Data a store saves that System.Text.Json will not give back: fields it skips, properties it writes but never
/// sets, collections whose own members or comparer vanish, derived instances cut down to their base, values that
/// come back reversed, empty or as a <c>JsonElement</c>. STJ does all of this silently and the store says "saved",
/// so the warning goes on the member that loses data (or on the store), with why and what fixes it.
/// </summary>
/// <remarks>
/// The stores and everything reachable from them are walked once per compilation (<see cref="RoundTripWalker"/>);
/// each symbol then reports its own findings, so a member reached from two stores is reported once.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RoundTripAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        FieldNotSaved, PropertyNotLoaded, StructPropertyNotLoaded, ReadOnlyCollection, CollectionMembers, DerivedMembers,
        StackReversed, TupleNotSaved, ComparerLost, NotLoadableCollection, ObjectAsJsonElement, UnboundConstructorParameter, AbstractMember, DefaultNotSaveable);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            Compilation compilation = start.Compilation;
            if (compilation.GetTypeByMetadataName(StoreRules.AttributeMetadataName) is null)
            {
                return;
            }

            var walker = new Lazy<RoundTripWalker>(
                () => RoundTripWalker.Build(compilation, StoreIndex.Build(compilation, CancellationToken.None), CancellationToken.None),
                LazyThreadSafetyMode.ExecutionAndPublication);
            start.RegisterSymbolAction(c => Report(c, walker), SymbolKind.NamedType, SymbolKind.Property, SymbolKind.Field);
            start.RegisterOperationAction(c => CheckInitializer(c, walker), OperationKind.PropertyInitializer, OperationKind.FieldInitializer);
        });
    }

    private static void Report(SymbolAnalysisContext context, Lazy<RoundTripWalker> walker)
    {
        foreach (Diagnostic diagnostic in walker.Value.For(context.Symbol))
        {
            context.ReportDiagnostic(diagnostic);
        }
    }

    /// <summary>DRS025: an initializer that gives a collection a comparer, on a member a load assigns a new collection to.</summary>
    private static void CheckInitializer(OperationAnalysisContext context, Lazy<RoundTripWalker> walker)
    {
        var initializer = (ISymbolInitializerOperation)context.Operation;
        ISymbol[] members = initializer switch
        {
            IPropertyInitializerOperation property => [.. property.InitializedProperties],
            IFieldInitializerOperation field => [.. field.InitializedFields],
            _ => [],
        };
        if (members.Length != 1 || !HasComparerArgument(initializer.Value) || !walker.Value.IsReplacedOnLoad(members[0]))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(ComparerLost, initializer.Syntax.GetLocation(), members[0].Name));
    }

    private static bool HasComparerArgument(IOperation value)
    {
        while (value is IConversionOperation conversion)
        {
            value = conversion.Operand;
        }

        return value is IObjectCreationOperation creation
            && creation.Arguments.Any(static a => a.ArgumentKind == ArgumentKind.Explicit && a.Parameter is { } p && IsComparer(p.Type));
    }

    private static bool IsComparer(ITypeSymbol type) =>
        Self(type).Concat(type.AllInterfaces).Any(static i => i.OriginalDefinition.ToDisplayString()
            is "System.Collections.Generic.IEqualityComparer<T>" or "System.Collections.Generic.IComparer<T>"
            or "System.Collections.IEqualityComparer" or "System.Collections.IComparer");

    private static IEnumerable<INamedTypeSymbol> Self(ITypeSymbol type) => type is INamedTypeSymbol named ? [named] : [];
}
