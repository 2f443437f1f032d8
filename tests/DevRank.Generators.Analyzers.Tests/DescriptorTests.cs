using System.Reflection;
using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>Every descriptor is documented, release-tracked and served by an analyzer.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> Ids { get; } = [.. Descriptors().Select(d => d.Id)];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Has_a_doc_page_a_help_link_and_a_release_entry(string id)
    {
        DiagnosticDescriptor descriptor = Descriptors().Single(d => d.Id == id);
        Assert.Equal($"https://github.com/devrank/DevRank.Generators/blob/main/docs/diagnostics/{id}.md", descriptor.HelpLinkUri);

        string page = File.ReadAllText(Harness.RepoFile($"docs/diagnostics/{id}.md"));
        Assert.StartsWith($"# {id}:", page, StringComparison.Ordinal);
        Assert.Contains("#pragma warning disable " + id, page, StringComparison.Ordinal);
        Assert.Contains($"dotnet_diagnostic.{id}.severity", page, StringComparison.Ordinal);

        Assert.Contains($"[{id}]({id}.md)", File.ReadAllText(Harness.RepoFile("docs/diagnostics/README.md")), StringComparison.Ordinal);
        Assert.Contains(
            $"{id} | {descriptor.Category} | {descriptor.DefaultSeverity} | {descriptor.Title}",
            File.ReadAllText(Harness.RepoFile("generator/DevRank.Generators/AnalyzerReleases.Unshipped.md")),
            StringComparison.Ordinal);
        Assert.Contains(Harness.Analyzers, a => a.SupportedDiagnostics.Contains(descriptor));
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal);
}
