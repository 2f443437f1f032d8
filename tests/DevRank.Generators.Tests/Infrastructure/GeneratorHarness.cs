using System.Collections.Immutable;
using System.Reflection;
using Basic.Reference.Assemblies;
using DevRank.AtomicStore;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DevRank.Generators.Tests.Infrastructure;

/// <summary>Builds consumer compilations and runs the generator over them, the way the compiler does.</summary>
internal static class GeneratorHarness
{
    /// <summary>Documentation mode on, so broken <c>cref</c>s in generated XML docs are reported.</summary>
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(AtomicStoreAttribute).Assembly.Location),
    ];

    private static readonly Lazy<ISourceGenerator> SystemTextJsonGenerator = new(LoadSystemTextJsonGenerator);

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(ParseOptions, sources);

    public static CSharpCompilation CreateCompilation(CSharpParseOptions parseOptions, params string[] sources) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions, path: $"Source{i}.cs")),
            References,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                // Every warning wave, as an SDK with AnalysisLevel latest would.
                warningLevel: 9999));

    /// <summary>A driver with our generator, and optionally the real System.Text.Json generator after it.</summary>
    public static GeneratorDriver CreateDriver(bool withSystemTextJson = false, CSharpParseOptions? parseOptions = null)
    {
        List<ISourceGenerator> generators = [new AtomicStoreGenerator().AsSourceGenerator()];
        if (withSystemTextJson)
        {
            generators.Add(SystemTextJsonGenerator.Value);
        }

        return CSharpGeneratorDriver.Create(
            generators,
            parseOptions: parseOptions ?? ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    /// <summary>Runs our generator alone over <paramref name="sources"/>.</summary>
    public static GeneratorDriverRunResult Run(params string[] sources) =>
        CreateDriver().RunGenerators(CreateCompilation(sources)).GetRunResult();

    /// <summary>Runs our generator and STJ's, and returns the compilation the compiler would then compile.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) RunAndCompile(params string[] sources) =>
        RunAndCompile(ParseOptions, sources);

    /// <summary>The same, at the language version (and other options) of <paramref name="parseOptions"/>.</summary>
    public static (Compilation Output, ImmutableArray<Diagnostic> GeneratorDiagnostics, GeneratorDriverRunResult Result) RunAndCompile(CSharpParseOptions parseOptions, params string[] sources)
    {
        GeneratorDriver driver = CreateDriver(withSystemTextJson: true, parseOptions)
            .RunGeneratorsAndUpdateCompilation(CreateCompilation(parseOptions, sources), out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return (output, diagnostics, driver.GetRunResult());
    }

    /// <summary>The result of our generator in a run (STJ's, when present, comes second).</summary>
    public static GeneratorRunResult Ours(this GeneratorDriverRunResult result) =>
        result.Results.Single(r => r.Generator.GetGeneratorType() == typeof(AtomicStoreGenerator));

    /// <summary>
    /// The STJ source generator ships in the targeting pack of the SDK that runs these tests; it is the one real
    /// consumers run beside ours.
    /// </summary>
    private static ISourceGenerator LoadSystemTextJsonGenerator()
    {
        string refPack = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref");
        string version = Environment.Version.ToString(3);
        string path = Path.GetFullPath(Path.Combine(refPack, version, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"));
        if (!File.Exists(path))
        {
            // Fall back to the newest pack present, should the runtime and the pack differ in patch version.
            path = Directory.GetFiles(Path.GetFullPath(refPack), "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories)
                .Where(p => p.Contains(Path.Combine("dotnet", "cs"), StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Last();
        }

        var reference = new AnalyzerFileReference(path, new Loader());
        return reference.GetGenerators(LanguageNames.CSharp).Single();
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}
