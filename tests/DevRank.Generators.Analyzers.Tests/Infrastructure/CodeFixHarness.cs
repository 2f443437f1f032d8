using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace DevRank.Generators.Analyzers.Tests.Infrastructure;

/// <summary>Applies a code fix the way the IDE does: in a workspace, with simplification and formatting.</summary>
internal static class CodeFixHarness
{
    /// <summary>
    /// Applies the first fix <paramref name="provider"/> offers for the first <paramref name="id"/> diagnostic,
    /// returns the new text of every source (in order) and asserts that it compiles without DRS errors.
    /// </summary>
    public static async Task<string[]> ApplyAsync(CodeFixProvider provider, string id, string[] sources, string? expectedTitle = null)
    {
        using var workspace = new AdhocWorkspace();
        ProjectId projectId = ProjectId.CreateNewId();
        Solution solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Create(), "Consumer", "Consumer", LanguageNames.CSharp,
            compilationOptions: Harness.CompilationOptions,
            parseOptions: Harness.ParseOptions,
            metadataReferences: Harness.References));
        var documentIds = new List<DocumentId>();
        for (int i = 0; i < sources.Length; i++)
        {
            DocumentId documentId = DocumentId.CreateNewId(projectId);
            solution = solution.AddDocument(documentId, $"Source{i}.cs", SourceText.From(sources[i]), filePath: $"Source{i}.cs");
            documentIds.Add(documentId);
        }

        Project project = solution.GetProject(projectId)!;
        Compilation compilation = (await project.GetCompilationAsync())!;
        Diagnostic diagnostic = Harness.Analyze(compilation).First(d => d.Id == id);
        Document document = solution.GetDocument(diagnostic.Location.SourceTree!)!;

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context);
        CodeAction fix = Assert.Single(actions);
        if (expectedTitle is not null)
        {
            Assert.Equal(expectedTitle, fix.Title);
        }

        ImmutableArray<CodeActionOperation> operations = await fix.GetOperationsAsync(CancellationToken.None);
        Solution changed = Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;

        var results = new string[sources.Length];
        for (int i = 0; i < sources.Length; i++)
        {
            results[i] = (await changed.GetDocument(documentIds[i])!.GetTextAsync()).ToString();
        }

        Harness.AssertCompiles(results);
        Diagnostic[] errors = [.. Harness.Analyze(results).Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, "The fixed code still has: " + string.Join("; ", errors.Select(d => d.ToString())));
        return results;
    }

    /// <summary>Asserts that no fix is offered for the first <paramref name="id"/> diagnostic.</summary>
    public static async Task AssertNoFixAsync(CodeFixProvider provider, string id, string source)
    {
        using var workspace = new AdhocWorkspace();
        Project project = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Create(), "Consumer", "Consumer", LanguageNames.CSharp,
                compilationOptions: Harness.CompilationOptions, parseOptions: Harness.ParseOptions, metadataReferences: Harness.References))
            .Projects.Single();
        Document document = project.AddDocument("Source0.cs", SourceText.From(source), filePath: "Source0.cs");
        Compilation compilation = (await document.Project.GetCompilationAsync())!;
        Diagnostic diagnostic = Harness.Analyze(compilation).First(d => d.Id == id);
        var actions = new List<CodeAction>();
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
        Assert.Empty(actions);
    }

    /// <summary>Line endings as written in this file's raw strings.</summary>
    public static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
