using System.Collections.Immutable;
using DevRank.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DevRank.Generators.Tests;

/// <summary>
/// What the user's language settings and names do to the generated file: it must compile, without a warning of its
/// own, at every language version the generator emits for and for every name the user can declare.
/// </summary>
public sealed class LanguageTests
{
    /// <summary>C# 9 source (block namespaces, no file-scoped ones): a context store, a reflection struct, a nested record.</summary>
    private const string OlderLanguageStores = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo
        {
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class A { public int N { get; set; } }

            [AtomicStore("b.json")]
            public partial struct B { public int N { get; set; } }

            public static partial class Outer
            {
                [AtomicStore("c.json", LockTimeoutMilliseconds = 5)]
                public sealed partial record C(int N);
            }

            [JsonSerializable(typeof(A))]
            internal partial class DemoJson : JsonSerializerContext { }

            public static class Use
            {
                public static int Run(string folder) => A.LoadOrCreate(folder).N + A.Update(folder, a => a.N++).N;
            }
        }
        """;

    [Theory]
    [InlineData(LanguageVersion.CSharp9)]
    [InlineData(LanguageVersion.CSharp10)]
    [InlineData(LanguageVersion.CSharp11)]
    public void Stores_compile_at_every_language_version_from_CSharp9(LanguageVersion version)
    {
        (Compilation output, ImmutableArray<Diagnostic> generatorDiagnostics, GeneratorDriverRunResult result) =
            GeneratorHarness.RunAndCompile(GeneratorHarness.ParseOptions.WithLanguageVersion(version), OlderLanguageStores);

        Assert.Empty(generatorDiagnostics);
        Assert.Equal(3, result.Ours().GeneratedSources.Length);
        AssertNoWarnings(output);

        // IAtomicStore<T> has static abstract members (C# 11): only from C# 11 on does a store implement it.
        bool implements = result.Ours().GeneratedSources.All(s => s.SourceText.ToString().Contains("IAtomicStore<", StringComparison.Ordinal));
        Assert.Equal(version >= LanguageVersion.CSharp11, implements);
    }

    /// <summary>Below C# 9 the generated code could not compile (static lambdas, records): no members, and DRS013 says why.</summary>
    [Fact]
    public void Nothing_is_emitted_below_CSharp9()
    {
        (_, _, GeneratorDriverRunResult result) = GeneratorHarness.RunAndCompile(
            GeneratorHarness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp8),
            """
            namespace Demo
            {
                [DevRank.AtomicStore.AtomicStore("a.json")]
                public sealed partial class A { }
            }
            """);

        Assert.Empty(result.Ours().GeneratedSources);
    }

    /// <summary>Names a user can give a type, escaped with <c>@</c> where C# needs it, that are keywords somewhere.</summary>
    public static TheoryData<string> KeywordNames { get; } =
    [
        "partial", "record", "async", "await", "var", "dynamic", "nameof", "value", "when", "where", "yield", "get", "set",
        "init", "add", "remove", "global", "alias", "from", "select", "unmanaged", "notnull", "and", "or", "not", "with",
        "managed", "args", "@class", "@event", "@namespace",
    ];

    [Theory]
    [MemberData(nameof(KeywordNames))]
    public void Types_and_namespaces_named_with_keywords_compile(string name)
    {
        string id = name.StartsWith('@') ? name : "@" + name;
        string source = $$"""
            #pragma warning disable CS8981, CS8860 // lower-case names and 'record' are this test's point
            using DevRank.AtomicStore;

            namespace Demo.{{id}}
            {
                [AtomicStore("a.json")]
                public sealed partial class {{id}} { public int N { get; set; } }

                public partial class Outer
                {
                    public partial struct {{id}}Box { }
                }
            }

            namespace R
            {
                [AtomicStore("r.json")]
                public sealed partial record {{id}}(int N);
            }

            namespace S
            {
                [AtomicStore("s.json")]
                public partial struct {{id}} { }
            }

            namespace RS
            {
                [AtomicStore("rs.json")]
                public partial record struct {{id}}(int N);
            }

            namespace Nested
            {
                public partial class {{id}}
                {
                    [AtomicStore("b.json")]
                    public partial record Inner(int N);

                    [AtomicStore("c.json")]
                    public partial struct {{id}}Struct { }
                }
            }
            """;

        (Compilation output, _, GeneratorDriverRunResult result) = GeneratorHarness.RunAndCompile(source);

        Assert.Equal(6, result.Ours().GeneratedSources.Length);
        Diagnostic[] errors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        Assert.True(errors.Length == 0, "Errors:\n" + string.Join("\n", errors.Select(d => d.ToString())));
    }

    /// <summary>
    /// A lower-case name (CS8981: <c>settings</c>, <c>async</c>) and <c>record</c> (CS8860) warn on every declaration of
    /// the type; the user silences them in their own file, and the generated part, which declares the type again, must
    /// not warn anew. (<c>@async</c> and <c>@record</c> are escaped and do not warn; <c>settings</c> is not a keyword.)
    /// </summary>
    [Theory]
    [InlineData("settings")]
    [InlineData("async")]
    [InlineData("record")]
    public void A_name_the_user_was_warned_about_gives_no_warning_in_the_generated_file(string name)
    {
        string source = $$"""
            #pragma warning disable CS8981, CS8860
            namespace Demo
            {
                [DevRank.AtomicStore.AtomicStore("a.json")]
                public sealed partial class {{name}} { }
            }
            """;

        (Compilation output, _, GeneratorDriverRunResult result) = GeneratorHarness.RunAndCompile(source);

        Assert.Single(result.Ours().GeneratedSources);
        AssertNoWarnings(output);
    }

    private static void AssertNoWarnings(Compilation output)
    {
        Diagnostic[] problems = [.. output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS1591")];
        Assert.True(problems.Length == 0, "Diagnostics:\n" + string.Join("\n", problems.Select(d => d.ToString())));
    }
}
