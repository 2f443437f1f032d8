using System.Reflection;
using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>Every descriptor is documented, release-tracked and served by an analyzer.</summary>
public sealed class DescriptorTests
{
    public static TheoryData<string> Ids { get; } = [.. Descriptors().Select(d => d.Id).Distinct()];

    [Theory]
    [MemberData(nameof(Ids))]
    public void Has_a_doc_page_a_help_link_and_a_release_entry(string id)
    {
        // One ID may have a descriptor per wording (DRS005, DRS011); they must agree on everything else.
        DiagnosticDescriptor[] withId = [.. Descriptors().Where(d => d.Id == id)];
        DiagnosticDescriptor descriptor = withId[0];
        Assert.All(withId, d => Assert.Equal((descriptor.Title, descriptor.Category, descriptor.DefaultSeverity), (d.Title, d.Category, d.DefaultSeverity)));
        Assert.All(withId, d => Assert.Contains(Harness.Analyzers, a => a.SupportedDiagnostics.Contains(d)));
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

    [Theory]
    [MemberData(nameof(Ids))]
    public void Wording_lives_in_the_descriptor(string id) =>
        Assert.All(Descriptors().Where(d => d.Id == id), d => Assert.NotEqual("{0}", d.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .OrderBy(d => d.Id, StringComparer.Ordinal);
}
