using System.Collections.Immutable;
using DevRank.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Tests;

/// <summary>
/// Every shape, plus what we generate, plus what System.Text.Json generates, compiles against the net10.0
/// reference assemblies and the runtime with no error and no warning: consumers build with TreatWarningsAsErrors.
/// </summary>
public sealed class CompileTests
{
    [Theory]
    [MemberData(nameof(Shapes.All), MemberType = typeof(Shapes))]
    public void Shape_compiles_without_diagnostics(string shape)
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result) =
            GeneratorHarness.RunAndCompile(Shapes.Get(shape));

        Assert.All(result.Results, run => Assert.Null(run.Exception));
        Assert.Empty(generatorDiagnostics);
        Assert.NotEmpty(result.Ours().GeneratedSources);

        Diagnostic[] problems = output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            // The shapes themselves are terse test code; only the generated code must be fully documented.
            .Where(d => !(d.Id == "CS1591" && !IsGenerated(d)))
            .ToArray();
        Assert.True(problems.Length == 0, "Diagnostics:\n" + string.Join("\n", problems.Select(d => d.ToString())));
    }

    [Theory]
    [InlineData("class", false)]
    [InlineData("struct", true)]
    public void Update_in_place_compiles_for_a_class_and_is_refused_for_a_struct(string kind, bool refused)
    {
        // On a struct the in-place change would modify a copy and the store would save the old value.
        string source = $$"""
            using DevRank.AtomicStore;

            namespace Demo;

            public {{kind}} Doc { public int N { get; set; } }

            public static class Use
            {
                [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("reflection store")]
                [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("reflection store")]
                public static Doc Bump(string folder) =>
                    JsonFileStore.CreateWithReflection<Doc>("doc.json").Update(folder, d => { d.N++; }, () => new Doc());
            }
            """;

        Diagnostic[] errors = GeneratorHarness.CreateCompilation(source).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();

        Assert.True(refused == (errors.Length > 0), "Errors:\n" + string.Join("\n", errors.Select(d => d.ToString())));
    }

    [Fact]
    public void Generated_code_is_documented()
    {
        // No CS1591 filter here: a public store with documented user members gets documented generated members.
        const string source = """
            using DevRank.AtomicStore;

            namespace Demo;

            /// <summary>A documented store.</summary>
            [AtomicStore("documented.json")]
            public sealed partial class Documented
            {
                /// <summary>A value.</summary>
                public int N { get; set; }
            }
            """;
        (Compilation output, _, _) = GeneratorHarness.RunAndCompile(source);

        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Generic_code_works_through_IAtomicStore()
    {
        const string source = """
            using System.Threading.Tasks;
            using DevRank.AtomicStore;

            namespace Demo;

            [AtomicStore("a.json")]
            public sealed partial class A { public int N { get; set; } }

            public static class Use
            {
                public static string PathOf<T>(string folder) where T : IAtomicStore<T> => T.Store.GetPath(folder);

                public static T Reload<T>(string folder) where T : IAtomicStore<T> => T.Load(folder);

                [System.Diagnostics.CodeAnalysis.RequiresUnreferencedCode("reflection store")]
                [System.Diagnostics.CodeAnalysis.RequiresDynamicCode("reflection store")]
                public static async Task<int> All(string folder)
                {
                    A a = A.LoadOrCreate(folder);
                    a.Save(folder);
                    await a.SaveAsync(folder);
                    A.Update(folder, x => x.N++);
                    A.Update(folder, x => new A { N = x.N + 1 });
                    await A.UpdateAsync(folder, x => x);
                    await A.UpdateAsync(folder, async (x, ct) => { await Task.Yield(); return x; });
                    _ = A.TryLoad(folder, out A? loaded) ? loaded.N : 0;
                    return (await A.LoadOrCreateAsync(folder)).N + Reload<A>(folder).N + PathOf<A>(folder).Length;
                }
            }
            """;
        (Compilation output, _, _) = GeneratorHarness.RunAndCompile(source);

        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591").ToArray();
        Assert.True(problems.Length == 0, "Diagnostics:\n" + string.Join("\n", problems.Select(d => d.ToString())));
    }

    private static bool IsGenerated(Diagnostic diagnostic) =>
        diagnostic.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true;
}
