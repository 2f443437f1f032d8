using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators.CodeFixes;

/// <summary>DRS001: adds <c>partial</c> to the store and to every type around it that lacks it, in every file.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MakePartialCodeFixProvider)), Shared]
public sealed class MakePartialCodeFixProvider : CodeFixProvider
{
    private const string Title = "Make the store and its containing types partial";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.StoreNotPartialId);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        SemanticModel? model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } declaration
                || model.GetDeclaredSymbol(declaration, context.CancellationToken) is not { } symbol)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(Title, token => AddPartialAsync(context.Document.Project.Solution, symbol, declaration, token), equivalenceKey: Title),
                diagnostic);
        }
    }

    private static async Task<Solution> AddPartialAsync(Solution solution, INamedTypeSymbol symbol, TypeDeclarationSyntax reported, CancellationToken cancellationToken)
    {
        // The reported declaration may be a container: the fix covers it, the types around it, and the stores inside it.
        var missing = new HashSet<TypeDeclarationSyntax> { reported };
        for (INamedTypeSymbol? current = symbol; current is not null; current = current.ContainingType)
        {
            AddMissing(current, missing, cancellationToken);
        }

        foreach (TypeDeclarationSyntax nested in reported.DescendantNodes().OfType<TypeDeclarationSyntax>())
        {
            if (nested.AttributeLists.Count > 0)
            {
                for (SyntaxNode? node = nested; node is not null && node != reported; node = node.Parent)
                {
                    if (node is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
                    {
                        missing.Add(declaration);
                    }
                }
            }
        }

        foreach (IGrouping<SyntaxTree, TypeDeclarationSyntax> group in missing.Where(d => !d.Modifiers.Any(SyntaxKind.PartialKeyword)).GroupBy(d => d.SyntaxTree))
        {
            if (solution.GetDocument(group.Key) is not { } document)
            {
                continue;
            }

            SyntaxNode root = await group.Key.GetRootAsync(cancellationToken).ConfigureAwait(false);
            root = root.ReplaceNodes(group, static (_, rewritten) => AddPartial(rewritten));
            solution = solution.WithDocumentSyntaxRoot(document.Id, root);
        }

        return solution;
    }

    private static void AddMissing(INamedTypeSymbol type, HashSet<TypeDeclarationSyntax> missing, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax declaration && !declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                missing.Add(declaration);
            }
        }
    }

    /// <summary><c>partial</c> goes last among the modifiers, right before the keyword (<c>public sealed partial class</c>).</summary>
    private static TypeDeclarationSyntax AddPartial(TypeDeclarationSyntax declaration)
    {
        if (declaration.Modifiers.Count == 0)
        {
            SyntaxToken keyword = declaration.Keyword;
            SyntaxToken partial = SyntaxFactory.Token(keyword.LeadingTrivia, SyntaxKind.PartialKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            return declaration.WithKeyword(keyword.WithLeadingTrivia()).WithModifiers(SyntaxFactory.TokenList(partial));
        }

        return declaration.WithModifiers(declaration.Modifiers.Add(SyntaxFactory.Token(SyntaxKind.PartialKeyword).WithTrailingTrivia(SyntaxFactory.Space)));
    }
}
