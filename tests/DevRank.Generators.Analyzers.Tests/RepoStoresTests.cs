using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>The repository's own store declarations and store-adjacent code pass every analyzer.</summary>
public sealed class RepoStoresTests
{
    [Fact]
    public void Integration_test_stores_get_only_the_reflection_info()
    {
        // The project compiles with implicit usings (List<T> needs System.Collections.Generic).
        const string ImplicitUsings = "global using System;\nglobal using System.Collections.Generic;\nglobal using System.Linq;\n";
        string source = File.ReadAllText(Harness.RepoFile("tests/DevRank.Generators.IntegrationTests/Stores.cs"));
        var diagnostics = Harness.Analyze(ImplicitUsings, source);

        // Notes, X and Names have no JsonContext on purpose: they cover the reflection path.
        Assert.Equal(
            ["DRS006 Notes", "DRS006 X", "DRS006 Names"],
            diagnostics.Select(d => $"{d.Id} {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Split('\'')[1]}"));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Info, d.Severity));
    }

    [Fact]
    public void Test_host_sources_get_no_diagnostic()
    {
        string[] sources = [.. Directory.GetFiles(Harness.RepoFile("tests/DevRank.TestHost"), "*.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText)];
        Assert.NotEmpty(sources);
        Assert.Empty(Harness.Analyze(Harness.CreateCompilation(sources, OutputKind.ConsoleApplication)));
    }
}
