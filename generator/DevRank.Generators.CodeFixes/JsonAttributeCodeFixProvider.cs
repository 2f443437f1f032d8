using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DevRank.Generators.CodeFixes;

/// <summary>
/// The mechanical round-trip fixes, each one attribute on the member: <c>[JsonInclude]</c> for a public field
/// (DRS020) or a property with a non-public setter (DRS021), and
/// <c>[JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]</c> for a get-only collection (DRS022).
/// A get-only property (DRS021 without a setter) needs a setter or a constructor parameter: no fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(JsonAttributeCodeFixProvider)), Shared]
public sealed class JsonAttributeCodeFixProvider : CodeFixProvider
{
    private const string IncludeTitle = "Add [JsonInclude]";
    private const string PopulateTitle = "Populate the collection on load";
    private const string Include = "global::System.Text.Json.Serialization.JsonInclude";
    private const string Populate = "global::System.Text.Json.Serialization.JsonObjectCreationHandling";
    private const string PopulateValue = "global::System.Text.Json.Serialization.JsonObjectCreationHandling.Populate";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.FieldNotSavedId, DiagnosticDescriptors.PropertyNotLoadedId, DiagnosticDescriptors.ReadOnlyCollectionId);

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        SyntaxNode? root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (Diagnostic diagnostic in context.Diagnostics)
        {
            MemberDeclarationSyntax? member = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent?.FirstAncestorOrSelf<MemberDeclarationSyntax>();
            AttributeSyntax? attribute = (diagnostic.Id, member) switch
            {
                (DiagnosticDescriptors.FieldNotSavedId, FieldDeclarationSyntax) => SyntaxFactory.Attribute(SyntaxFactory.ParseName(Include)),
                (DiagnosticDescriptors.PropertyNotLoadedId, PropertyDeclarationSyntax property) when HasSetter(property) =>
                    SyntaxFactory.Attribute(SyntaxFactory.ParseName(Include)),
                (DiagnosticDescriptors.ReadOnlyCollectionId, PropertyDeclarationSyntax) => SyntaxFactory.Attribute(SyntaxFactory.ParseName(Populate))
                    .AddArgumentListArguments(SyntaxFactory.AttributeArgument(SyntaxFactory.ParseExpression(PopulateValue))),
                _ => null,
            };
            if (attribute is null || member is null)
            {
                continue;
            }

            string title = diagnostic.Id == DiagnosticDescriptors.ReadOnlyCollectionId ? PopulateTitle : IncludeTitle;
            context.RegisterCodeFix(
                CodeAction.Create(
                    title,
                    token => AddAttributeAsync(context.Document, root, member, attribute, diagnostic.Properties.ContainsKey(DiagnosticDescriptors.MakeSetterInternalProperty), token),
                    equivalenceKey: title),
                diagnostic);
        }
    }

    /// <summary>Adds the attribute, then the <c>using</c> its simplified name needs (the code action itself only simplifies).</summary>
    /// <remarks>With <paramref name="makeSetterInternal"/> (a store with a context, which cannot call a private setter), the setter becomes internal.</remarks>
    private static Task<Document> AddAttributeAsync(Document document, SyntaxNode root, MemberDeclarationSyntax member, AttributeSyntax attribute, bool makeSetterInternal, CancellationToken cancellationToken)
    {
        MemberDeclarationSyntax changed = member;
        if (makeSetterInternal && member is PropertyDeclarationSyntax { AccessorList: { } accessors } property
            && accessors.Accessors.FirstOrDefault(static a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration)) is { } setter)
        {
            SyntaxToken first = setter.Modifiers.Count > 0 ? setter.Modifiers[0] : setter.Keyword;
            AccessorDeclarationSyntax internalSetter = setter
                .WithModifiers(SyntaxFactory.TokenList(SyntaxFactory.Token(first.LeadingTrivia, SyntaxKind.InternalKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space))))
                .WithKeyword(setter.Keyword.WithLeadingTrivia());
            changed = property.ReplaceNode(setter, internalSetter);
        }

        return ImportAdder.AddImportsAsync(document.WithSyntaxRoot(root.ReplaceNode(member, WithAttribute(changed, attribute))), Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);
    }

    private static bool HasSetter(PropertyDeclarationSyntax property) =>
        property.AccessorList?.Accessors.Any(static a => a.IsKind(SyntaxKind.SetAccessorDeclaration) || a.IsKind(SyntaxKind.InitAccessorDeclaration)) == true;

    /// <summary>The attribute on a line of its own above the member, after any attributes it already has.</summary>
    private static MemberDeclarationSyntax WithAttribute(MemberDeclarationSyntax member, AttributeSyntax attribute)
    {
        AttributeListSyntax list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation, Formatter.Annotation);
        if (member.AttributeLists.Count > 0)
        {
            return member.WithAttributeLists(member.AttributeLists.Add(list));
        }

        // The member's leading trivia (doc comment, indentation) moves to the attribute, which then starts the member.
        SyntaxTriviaList leading = member.GetLeadingTrivia();
        SyntaxTrivia indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1] : default;
        MemberDeclarationSyntax bare = member.WithLeadingTrivia(indentation == default ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(indentation));
        return bare.WithAttributeLists(bare.AttributeLists.Add(list.WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.ElasticLineFeed)));
    }
}
