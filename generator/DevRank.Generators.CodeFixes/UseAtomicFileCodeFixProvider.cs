using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Simplification;

namespace DevRank.Generators.CodeFixes;

/// <summary>
/// DRS007: rewrites <c>File.WriteAllText/WriteAllBytes[Async](path, contents, ...)</c> to the same call on
/// <c>AtomicFile</c>, which replaces the file through a temp and a rename. The analyzer decides which calls are
/// simple enough and says so in the diagnostic's properties.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UseAtomicFileCodeFixProvider)), Shared]
public sealed class UseAtomicFileCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.NonAtomicWriteId);

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
            if (!diagnostic.Properties.TryGetValue(DiagnosticDescriptors.AtomicMethodProperty, out string? method)
                || method is null
                || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
            {
                continue;
            }

            int? tokenIndex = diagnostic.Properties.TryGetValue(DiagnosticDescriptors.TokenArgumentProperty, out string? index) && index is not null
                ? int.Parse(index, CultureInfo.InvariantCulture)
                : null;
            string title = $"Use AtomicFile.{method}";
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, Rewrite(invocation, method, tokenIndex)))), equivalenceKey: "UseAtomicFile"),
                diagnostic);
        }
    }

    private static InvocationExpressionSyntax Rewrite(InvocationExpressionSyntax invocation, string method, int? tokenIndex)
    {
        ExpressionSyntax target = SyntaxFactory.ParseExpression("global::DevRank.AtomicStore.AtomicFile." + method)
            .WithTriviaFrom(invocation.Expression)
            .WithAdditionalAnnotations(Simplifier.Annotation);

        ArgumentListSyntax arguments = invocation.ArgumentList;
        if (tokenIndex is { } i && i < arguments.Arguments.Count)
        {
            // AtomicFile takes options before the token: name it so the position no longer matters.
            ArgumentSyntax token = arguments.Arguments[i];
            arguments = arguments.ReplaceNode(token, token.WithNameColon(SyntaxFactory.NameColon("cancellationToken").WithTrailingTrivia(SyntaxFactory.Space)));
        }

        return invocation.WithExpression(target).WithArgumentList(arguments);
    }
}
