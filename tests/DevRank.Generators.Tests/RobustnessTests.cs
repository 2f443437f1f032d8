using System.Collections.Immutable;
using DevRank.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Tests;

/// <summary>
/// The generator runs on every keystroke, so it sees broken code all the time. It must never throw, and must
/// emit nothing for a type it cannot handle (the analyzer explains why) while still serving the good ones.
/// </summary>
public sealed class RobustnessTests
{
    private const string GoodStore = """

        namespace Demo
        {
            [DevRank.AtomicStore.AtomicStore("good.json")]
            public sealed partial class Good { }
        }
        """;

    public static TheoryData<string, string> BrokenSources { get; } = new()
    {
        { "missing partial", """[DevRank.AtomicStore.AtomicStore("a.json")] public class Bad { }""" },
        { "attribute without arguments", """[DevRank.AtomicStore.AtomicStore] public partial class Bad { }""" },
        { "number as file name", """[DevRank.AtomicStore.AtomicStore(42)] public partial class Bad { }""" },
        { "null file name", """[DevRank.AtomicStore.AtomicStore(null)] public partial class Bad { }""" },
        { "half-typed string", """[DevRank.AtomicStore.AtomicStore("a.json] public partial class Bad { }""" },
        { "missing context type", """[DevRank.AtomicStore.AtomicStore("a.json", JsonContext = typeof(Missing))] public partial class Bad { }""" },
        { "context that is not a JsonSerializerContext", """[DevRank.AtomicStore.AtomicStore("a.json", JsonContext = typeof(string))] public partial class Bad { }""" },
        { "negative lock timeout", """[DevRank.AtomicStore.AtomicStore("a.json", LockTimeoutMilliseconds = -1)] public partial class Bad { }""" },
        { "generic type", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad<T> { }""" },
        { "static class", """[DevRank.AtomicStore.AtomicStore("a.json")] public static partial class Bad { }""" },
        { "abstract class", """[DevRank.AtomicStore.AtomicStore("a.json")] public abstract partial class Bad { }""" },
        { "interface", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial interface Bad { }""" },
        { "ref struct", """[DevRank.AtomicStore.AtomicStore("a.json")] public ref partial struct Bad { }""" },
        { "file-local type", """[DevRank.AtomicStore.AtomicStore("a.json")] file partial class Bad { }""" },
        { "nested in a generic type", """public partial class Outer<T> { [DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad { } }""" },
        { "nested in a non-partial type", """public class Outer { [DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad { } }""" },
        { "empty file name", """[DevRank.AtomicStore.AtomicStore("")] public partial class Bad { }""" },
        { "rooted file name", """[DevRank.AtomicStore.AtomicStore("/etc/a.json")] public partial class Bad { }""" },
        { "drive-rooted file name", """[DevRank.AtomicStore.AtomicStore(@"C:\a.json")] public partial class Bad { }""" },
        { "file name leaving the folder", """[DevRank.AtomicStore.AtomicStore("../a.json")] public partial class Bad { }""" },
        { "file name that is a folder", """[DevRank.AtomicStore.AtomicStore("state/")] public partial class Bad { }""" },
        { "attribute on two partial parts", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad { } [DevRank.AtomicStore.AtomicStore("b.json")] public partial class Bad { }""" },
        { "derived from another store", """[DevRank.AtomicStore.AtomicStore("base.json")] public partial class BaseStore { } [DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad : BaseStore { }""" },
        { "second argument being typed", """[DevRank.AtomicStore.AtomicStore("a.json", Dura)] public partial class Bad { }""" },
        { "type without a name yet", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class """ },
        { "reserved device name", """[DevRank.AtomicStore.AtomicStore("state/NUL.json")] public partial class Bad { }""" },
        { "the runtime's backup naming", """[DevRank.AtomicStore.AtomicStore("a.json.bak")] public partial class Bad { }""" },
        { "the runtime's lock naming", """[DevRank.AtomicStore.AtomicStore(".a.json.lock")] public partial class Bad { }""" },
        { "context without the store", """[DevRank.AtomicStore.AtomicStore("a.json", JsonContext = typeof(Ctx))] public partial class Bad { } [System.Text.Json.Serialization.JsonSerializable(typeof(int))] internal partial class Ctx : System.Text.Json.Serialization.JsonSerializerContext { }""" },
        { "undefined durability", """[DevRank.AtomicStore.AtomicStore("a.json", Durability = (DevRank.AtomicStore.Durability)9)] public partial class Bad { }""" },
        { "member named like a generated one", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad { public static Bad Load(string folder) => new(); }""" },
        { "inherited member a generated one would hide", """public class Base { public void Save(string folder) { } } [DevRank.AtomicStore.AtomicStore("a.json")] public partial class Bad : Base { }""" },
        { "type named like a generated member", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class Store { }""" },
        { "attribute without its closing bracket", """[DevRank.AtomicStore.AtomicStore("a.json" public partial class """ },
    };

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Broken_source_gives_no_exception_and_no_output_for_the_bad_type(string description, string broken)
    {
        (Compilation _, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) =
            GeneratorHarness.RunAndCompile(GoodStore, "namespace Demo;\n" + broken);

        Assert.All(result.Results, run => Assert.Null(run.Exception));
        Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "AD0001");
        Assert.Empty(result.Ours().Diagnostics);

        string[] hintNames = result.Ours().GeneratedSources.Select(s => s.HintName).Where(h => h != "Demo.BaseStore.AtomicStore.g.cs").ToArray();
        Assert.True(hintNames.SequenceEqual(["Demo.Good.AtomicStore.g.cs"]), $"{description}: generated {string.Join(", ", hintNames)}");
    }

    /// <summary>
    /// Mid-edit code that still declares a sound type keeps its members, exactly as before the edit: dropping them
    /// would turn every call site red while the user types a method body or a new argument. The compiler reports
    /// the syntax error itself.
    /// </summary>
    [Theory]
    [InlineData("unbalanced braces", """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class Kept { public void M() { """)]
    [InlineData("unknown named argument", """[DevRank.AtomicStore.AtomicStore("a.json", Nope = 1)] public partial class Kept { }""")]
    public void Sound_type_in_broken_code_keeps_its_members(string description, string broken)
    {
        const string Sound = """[DevRank.AtomicStore.AtomicStore("a.json")] public partial class Kept { }""";
        GeneratorDriverRunResult before = GeneratorHarness.Run("namespace Demo;\n" + Sound);
        (Compilation _, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = GeneratorHarness.RunAndCompile("namespace Demo;\n" + broken);

        Assert.All(result.Results, run => Assert.Null(run.Exception));
        Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "AD0001");
        GeneratedSourceResult generated = Assert.Single(result.Ours().GeneratedSources);
        Assert.True(before.Ours().GeneratedSources.Single().SourceText.ToString() == generated.SourceText.ToString(), description);
    }

    [Fact]
    public void Types_whose_names_differ_only_in_case_both_get_members()
    {
        const string source = """
            namespace Demo;

            [DevRank.AtomicStore.AtomicStore("upper.json")]
            public sealed partial class Cache { }

            [DevRank.AtomicStore.AtomicStore("lower.json")]
            public sealed partial class cache { }
            """;
        (Compilation output, ImmutableArray<Diagnostic> diagnostics, GeneratorDriverRunResult result) = GeneratorHarness.RunAndCompile(source);

        Assert.All(result.Results, run => Assert.Null(run.Exception));
        Assert.DoesNotContain(diagnostics, d => d.Id is "CS8785" or "AD0001");
        Assert.Equal(2, result.Ours().GeneratedSources.Length);
        Assert.All(result.Ours().GeneratedSources, s => Assert.Matches(@"^Demo\.(Cache|cache)\.[0-9a-f]{8}\.AtomicStore\.g\.cs$", s.HintName));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Driver_survives_an_empty_compilation_and_a_compilation_without_the_runtime()
    {
        GeneratorDriverRunResult empty = GeneratorHarness.Run();
        Assert.Null(empty.Ours().Exception);
        Assert.Empty(empty.GeneratedTrees);

        // Someone else's attribute of the same short name is not ours.
        GeneratorDriverRunResult other = GeneratorHarness.Run("""
            namespace Elsewhere { public sealed class AtomicStoreAttribute(string name) : System.Attribute { } }
            namespace Demo { [Elsewhere.AtomicStore("x.json")] public partial class NotOurs { } }
            """);
        Assert.Null(other.Ours().Exception);
        Assert.Empty(other.GeneratedTrees);
    }
}
