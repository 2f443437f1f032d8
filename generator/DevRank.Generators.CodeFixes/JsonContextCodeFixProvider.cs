using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DevRank.Generators.CodeFixes;

/// <summary>
/// DRS006 (no context): adds the store to a <c>JsonSerializerContext</c> of the project, or creates one beside the
/// store, and points the attribute at it. DRS005 (a context that lacks the store): adds the missing
/// <c>[JsonSerializable(typeof(Store))]</c> line to that context.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(JsonContextCodeFixProvider)), Shared]
public sealed class JsonContextCodeFixProvider : CodeFixProvider
{
    private const string SerializableAttribute = "global::System.Text.Json.Serialization.JsonSerializable";
    private const string SerializationNamespace = "System.Text.Json.Serialization";

    /// <summary><c>Outer.Inner</c>: how code in the store's namespace names it.</summary>
    private static readonly SymbolDisplayFormat NameInNamespace = new(typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypes);

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.NoJsonContextId, DiagnosticDescriptors.InvalidJsonContextId);

    /// <inheritdoc />
    /// <remarks>No fix-all: two stores fixed at once would each create a context of their own.</remarks>
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || model.Compilation.GetTypeByMetadataName(StoreRules.JsonSerializerContextMetadataName) is not { } contextBase)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan).FirstAncestorOrSelf<AttributeSyntax>() is not { } attribute
                || attribute.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } storeDeclaration
                || model.GetDeclaredSymbol(storeDeclaration, context.CancellationToken) is not { } store)
            {
                continue;
            }

            Solution solution = context.Document.Project.Solution;
            if (diagnostic.Id == DiagnosticDescriptors.InvalidJsonContextId)
            {
                if (diagnostic.Properties.TryGetValue(DiagnosticDescriptors.ContextProblemProperty, out string? problem)
                    && problem == nameof(ContextProblem.DoesNotListStore)
                    && StoreRules.StoreAttribute(store)?.NamedArguments.FirstOrDefault(a => a.Key == "JsonContext").Value.Value is INamedTypeSymbol existing
                    && Declaration(existing, context.CancellationToken) is { } existingDeclaration)
                {
                    string title = $"Add [JsonSerializable(typeof({store.Name}))] to '{existing.Name}'";
                    context.RegisterCodeFix(
                        CodeAction.Create(title, token => ListStoreAsync(solution, existingDeclaration, store, token), equivalenceKey: "ListStoreInContext"),
                        diagnostic);
                }

                continue;
            }

            if (FindContext(model.Compilation, contextBase, storeDeclaration.SyntaxTree, store, context.CancellationToken) is { } found)
            {
                string title = $"Serialize '{store.Name}' with the JsonSerializerContext '{found.Symbol.Name}'";
                context.RegisterCodeFix(
                    CodeAction.Create(title, token => UseExistingContextAsync(solution, context.Document, attribute, found.Declaration, found.Symbol, store, token), equivalenceKey: "UseExistingContext"),
                    diagnostic);
            }
            else
            {
                string title = $"Add a JsonSerializerContext for '{store.Name}'";
                context.RegisterCodeFix(
                    CodeAction.Create(title, token => CreateContextAsync(context.Document, attribute, store, token), equivalenceKey: "CreateContext"),
                    diagnostic);
            }
        }
    }

    /// <summary>A partial, concrete, non-generic context in source: in the store's file first, then its namespace, then anywhere.</summary>
    private static (INamedTypeSymbol Symbol, ClassDeclarationSyntax Declaration)? FindContext(
        Compilation compilation, INamedTypeSymbol contextBase, SyntaxTree storeTree, INamedTypeSymbol store, CancellationToken cancellationToken)
    {
        var candidates = new List<(INamedTypeSymbol Symbol, ClassDeclarationSyntax Declaration, int Rank)>();
        foreach (ISymbol symbol in compilation.GetSymbolsWithName(static _ => true, SymbolFilter.Type, cancellationToken))
        {
            if (symbol is not INamedTypeSymbol { TypeKind: TypeKind.Class, IsAbstract: false, IsGenericType: false } type
                || !DerivesFrom(type, contextBase)
                || Declaration(type, cancellationToken) is not { } declaration
                || !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                continue;
            }

            int rank = declaration.SyntaxTree == storeTree ? 0
                : SymbolEqualityComparer.Default.Equals(type.ContainingNamespace, store.ContainingNamespace) ? 1
                : 2;
            candidates.Add((type, declaration, rank));
        }

        return candidates.Count == 0
            ? null
            : candidates.OrderBy(c => c.Rank).ThenBy(c => c.Symbol.ToDisplayString(), StringComparer.Ordinal).Select(c => (c.Symbol, c.Declaration)).First();
    }

    private static async Task<Solution> ListStoreAsync(Solution solution, ClassDeclarationSyntax contextDeclaration, INamedTypeSymbol store, CancellationToken cancellationToken)
    {
        if (solution.GetDocument(contextDeclaration.SyntaxTree) is not { } document)
        {
            return solution;
        }

        SyntaxNode root = await contextDeclaration.SyntaxTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
        return solution.WithDocumentSyntaxRoot(document.Id, root.ReplaceNode(contextDeclaration, WithSerializable(contextDeclaration, store)));
    }

    private static async Task<Solution> UseExistingContextAsync(
        Solution solution, Document storeDocument, AttributeSyntax attribute, ClassDeclarationSyntax contextDeclaration, INamedTypeSymbol contextSymbol, INamedTypeSymbol store, CancellationToken cancellationToken)
    {
        SyntaxNode storeRoot = await storeDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("No syntax root.");
        SemanticModel? model = await storeDocument.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        bool simpleNameBinds = model is not null
            && model.LookupNamespacesAndTypes(attribute.SpanStart, name: contextSymbol.Name) is [var found] && SymbolEqualityComparer.Default.Equals(found, contextSymbol);
        AttributeSyntax newAttribute = WithJsonContext(attribute, simpleNameBinds ? contextSymbol.Name : contextSymbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
        if (contextDeclaration.SyntaxTree == attribute.SyntaxTree)
        {
            storeRoot = storeRoot.ReplaceNodes(
                new SyntaxNode[] { attribute, contextDeclaration },
                (original, rewritten) => original == attribute ? newAttribute : WithSerializable((ClassDeclarationSyntax)rewritten, store));
            return solution.WithDocumentSyntaxRoot(storeDocument.Id, storeRoot);
        }

        solution = solution.WithDocumentSyntaxRoot(storeDocument.Id, storeRoot.ReplaceNode(attribute, newAttribute));
        return await ListStoreAsync(solution, contextDeclaration, store, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> CreateContextAsync(Document document, AttributeSyntax attribute, INamedTypeSymbol store, CancellationToken cancellationToken)
    {
        SyntaxNode root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("No syntax root.");
        string eol = root.ToFullString().Contains("\r\n") ? "\r\n" : "\n";

        // Beside the outermost type around the store, in its namespace: a context cannot be nested in a store's partial.
        TypeDeclarationSyntax outermost = attribute.Ancestors().OfType<TypeDeclarationSyntax>().Last();
        string name = UniqueName(store.ContainingNamespace, store.Name + "JsonContext");
        string self = store.ToDisplayString(NameInNamespace);
        string text = string.Join(
            eol,
            "",
            $"/// <summary>Source-generated JSON metadata for <see cref=\"{self}\"/>.</summary>",
            $"[JsonSerializable(typeof({self}))]",
            $"internal sealed partial class {name} : JsonSerializerContext",
            "{",
            "}",
            "");
        var context = (ClassDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(text)!;

        root = root.ReplaceNode(attribute, WithJsonContext(attribute, name));
        TypeDeclarationSyntax current = root.DescendantNodes().OfType<TypeDeclarationSyntax>().First(t => t.SpanStart == outermost.SpanStart);
        if (!current.GetLastToken().TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia))
        {
            // The type ends the file without a line break: end its line before the blank one.
            context = context.WithLeadingTrivia(context.GetLeadingTrivia().Insert(0, SyntaxFactory.EndOfLine(eol)));
        }

        root = root.InsertNodesAfter(current, [context]);
        if (root is CompilationUnitSyntax unit && !unit.Usings.Any(u => u.Name?.ToString() == SerializationNamespace))
        {
            UsingDirectiveSyntax directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(SerializationNamespace))
                .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithTrailingTrivia(SyntaxFactory.Space))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol));
            int at = 0;
            while (at < unit.Usings.Count && string.CompareOrdinal(unit.Usings[at].Name?.ToString(), SerializationNamespace) < 0 && unit.Usings[at].Name?.ToString().StartsWith("System", StringComparison.Ordinal) == true)
            {
                at++;
            }

            if (at == 0 && unit.Usings.Count > 0)
            {
                // Keep a file header on the first line.
                UsingDirectiveSyntax first = unit.Usings[0];
                directive = directive.WithLeadingTrivia(first.GetLeadingTrivia());
                unit = unit.ReplaceNode(first, first.WithLeadingTrivia());
            }

            root = unit.WithUsings(unit.Usings.Insert(at, directive));
        }

        return document.WithSyntaxRoot(root);
    }

    private static ClassDeclarationSyntax WithSerializable(ClassDeclarationSyntax contextDeclaration, INamedTypeSymbol store)
    {
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(
                SyntaxFactory.Attribute(SyntaxFactory.ParseName(SerializableAttribute))
                    .AddArgumentListArguments(SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression($"typeof({store.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)})")))))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);

        // After the existing [JsonSerializable] lines, before the modifiers.
        return contextDeclaration.WithAttributeLists(contextDeclaration.AttributeLists.Add(list));
    }

    private static AttributeSyntax WithJsonContext(AttributeSyntax attribute, string contextName)
    {
        AttributeArgumentSyntax argument = SyntaxFactory.AttributeArgument(
                SyntaxFactory.NameEquals("JsonContext"),
                null,
                SyntaxFactory.ParseExpression($"typeof({contextName})"))
            .WithAdditionalAnnotations(Formatter.Annotation);

        AttributeArgumentListSyntax arguments = attribute.ArgumentList ?? SyntaxFactory.AttributeArgumentList();
        AttributeArgumentSyntax? existing = arguments.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "JsonContext");
        arguments = existing is not null
            ? arguments.ReplaceNode(existing, argument)
            : arguments.AddArguments(argument);
        return attribute.WithArgumentList(arguments);
    }

    private static string UniqueName(INamespaceSymbol ns, string name)
    {
        string candidate = name;
        for (int i = 2; !ns.GetTypeMembers(candidate).IsEmpty; i++)
        {
            candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static ClassDeclarationSyntax? Declaration(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<ClassDeclarationSyntax>().FirstOrDefault();

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
}
