using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Basic.Reference.Assemblies;
using DevRank.AtomicStore;
using DevRank.Generators.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace DevRank.Generators.Analyzers.Tests.Infrastructure;

/// <summary>
/// Builds consumer compilations, runs the generators the way the compiler does (ours, then System.Text.Json's),
/// and runs our analyzers over the result.
/// </summary>
internal static class Harness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly ImmutableArray<MetadataReference> References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(AtomicStoreAttribute).Assembly.Location),
    ];

    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    public static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = [new StoreDeclarationAnalyzer(), new NonAtomicWriteAnalyzer(), new RoundTripAnalyzer()];

    private static readonly Lazy<ISourceGenerator> SystemTextJsonGenerator = new(LoadSystemTextJsonGenerator);

    public static CSharpCompilation CreateCompilation(IEnumerable<string> sources, OutputKind kind = OutputKind.DynamicallyLinkedLibrary, CSharpParseOptions? parseOptions = null) =>
        CSharpCompilation.Create(
            "Consumer",
            sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, parseOptions ?? ParseOptions, path: $"Source{i}.cs")),
            References,
            CompilationOptions.WithOutputKind(kind));

    /// <summary>Runs our generator and STJ's over <paramref name="compilation"/>; throws if either generator throws.</summary>
    public static Compilation Generate(Compilation compilation)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new AtomicStoreGenerator().AsSourceGenerator(), SystemTextJsonGenerator.Value],
            parseOptions: (CSharpParseOptions?)compilation.SyntaxTrees.FirstOrDefault()?.Options ?? ParseOptions);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        foreach (GeneratorRunResult result in driver.GetRunResult().Results)
        {
            if (result.Exception is not null)
            {
                throw new InvalidOperationException($"{result.Generator.GetGeneratorType().Name} threw.", result.Exception);
            }
        }

        return output;
    }

    /// <summary>Our analyzers' diagnostics (and AD0001, should one throw) after the generators ran, in source order.</summary>
    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]),
            onAnalyzerException: (exception, _, _) => exceptions.Add(exception),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        ImmutableArray<Diagnostic> diagnostics = Generate(compilation)
            .WithAnalyzers(Analyzers, options)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();
        if (exceptions.Count > 0)
        {
            throw new AggregateException("An analyzer threw.", exceptions);
        }

        return [.. diagnostics.OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal)];
    }

    public static ImmutableArray<Diagnostic> Analyze(params string[] sources) => Analyze(CreateCompilation(sources));

    /// <summary>
    /// Asserts that <paramref name="id"/> is reported exactly at the <c>[|...|]</c> spans of the markup sources
    /// (in order), and no other DRS diagnostic except the <paramref name="alsoAllowed"/> ones. Returns the diagnostics of that ID.
    /// </summary>
    public static ImmutableArray<Diagnostic> Verify(string id, string[] markupSources, params string[] alsoAllowed)
    {
        var sources = new List<string>();
        var expected = new List<(string Path, TextSpan Span)>();
        for (int i = 0; i < markupSources.Length; i++)
        {
            (string source, List<TextSpan> spans) = Markup.Parse(markupSources[i]);
            sources.Add(source);
            expected.AddRange(spans.Select(span => ($"Source{i}.cs", span)));
        }

        ImmutableArray<Diagnostic> all = Analyze([.. sources]);
        ImmutableArray<Diagnostic> ofId = [.. all.Where(d => d.Id == id)];
        var actual = ofId.Select(d => (d.Location.SourceTree!.FilePath, d.Location.SourceSpan)).ToList();
        Assert.True(
            expected.SequenceEqual(actual),
            $"Expected {id} at {string.Join(", ", expected)}; got {string.Join(", ", ofId.Select(d => $"{d.Location.SourceTree?.FilePath}{d.Location.SourceSpan} '{Text(d, sources)}': {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"))}");

        Diagnostic[] others = [.. all.Where(d => d.Id != id && !alsoAllowed.Contains(d.Id))];
        Assert.True(others.Length == 0, "Unexpected: " + string.Join("; ", others.Select(d => d.ToString())));
        return ofId;
    }

    public static ImmutableArray<Diagnostic> Verify(string id, string markupSource, params string[] alsoAllowed) =>
        Verify(id, [markupSource], alsoAllowed);

    /// <summary>Asserts that valid code gets no DRS diagnostic but the allowed ones.</summary>
    public static void VerifyClean(string source, params string[] allowed)
    {
        Diagnostic[] unexpected = [.. Analyze(source).Where(d => !allowed.Contains(d.Id))];
        Assert.True(unexpected.Length == 0, "Unexpected: " + string.Join("; ", unexpected.Select(d => d.ToString())));
    }

    /// <summary>Compiles <paramref name="sources"/> with both generators and asserts there is no error.</summary>
    public static void AssertCompiles(OutputKind kind, params string[] sources)
    {
        Compilation output = Generate(CreateCompilation(sources, kind));
        Diagnostic[] errors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, "Does not compile: " + string.Join("; ", errors.Select(d => d.ToString())) + "\n" + string.Join("\n----\n", sources));
    }

    public static void AssertCompiles(params string[] sources) => AssertCompiles(OutputKind.DynamicallyLinkedLibrary, sources);

    /// <summary>A file of this repository, found from this source file's own path.</summary>
    public static string RepoFile(string relativePath, [CallerFilePath] string callerPath = "")
    {
        string? directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && !File.Exists(Path.Combine(directory, "DevRank.Generators.sln")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        Assert.NotNull(directory);
        return Path.Combine(directory, relativePath);
    }

    private static string Text(Diagnostic diagnostic, List<string> sources)
    {
        int index = int.Parse(diagnostic.Location.SourceTree!.FilePath["Source".Length..^".cs".Length], System.Globalization.CultureInfo.InvariantCulture);
        return sources[index].Substring(diagnostic.Location.SourceSpan.Start, diagnostic.Location.SourceSpan.Length);
    }

    /// <summary>The STJ source generator from the targeting pack of the SDK running the tests, as consumers run it.</summary>
    private static ISourceGenerator LoadSystemTextJsonGenerator()
    {
        string refPack = Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", "..", "packs", "Microsoft.NETCore.App.Ref");
        string path = Path.GetFullPath(Path.Combine(refPack, Environment.Version.ToString(3), "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"));
        if (!File.Exists(path))
        {
            path = Directory.GetFiles(Path.GetFullPath(refPack), "System.Text.Json.SourceGeneration.dll", SearchOption.AllDirectories)
                .Where(p => p.Contains(Path.Combine("dotnet", "cs"), StringComparison.Ordinal))
                .OrderBy(p => p, StringComparer.Ordinal)
                .Last();
        }

        return new AnalyzerFileReference(path, new Loader()).GetGenerators(LanguageNames.CSharp).Single();
    }

    private sealed class Loader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

/// <summary><c>[|...|]</c> marks where a diagnostic is expected.</summary>
internal static class Markup
{
    public static (string Source, List<TextSpan> Spans) Parse(string markup)
    {
        var spans = new List<TextSpan>();
        var text = new System.Text.StringBuilder();
        var open = new Stack<int>();
        for (int i = 0; i < markup.Length; i++)
        {
            if (markup.AsSpan(i).StartsWith("[|"))
            {
                open.Push(text.Length);
                i++;
            }
            else if (markup.AsSpan(i).StartsWith("|]"))
            {
                int start = open.Pop();
                spans.Add(TextSpan.FromBounds(start, text.Length));
                i++;
            }
            else
            {
                text.Append(markup[i]);
            }
        }

        spans.Sort((a, b) => a.Start.CompareTo(b.Start));
        return (text.ToString(), spans);
    }
}
