using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>
/// Analyzers run on every keystroke: broken and half-typed code must never make them (or the generator) throw,
/// and the generator must emit nothing for exactly the types the analyzer reports an error on.
/// </summary>
public sealed class RobustnessTests
{
    private const string Prelude = "using System.IO;\nusing System.Text.Json.Serialization;\nusing DevRank.AtomicStore;\nnamespace Demo;\n";

    public static TheoryData<string> BrokenSources { get; } =
    [
        """[AtomicStore] public partial class Bad { }""",
        """[AtomicStore(42)] public partial class Bad { }""",
        """[AtomicStore(null)] public partial class Bad { }""",
        """[AtomicStore("a.json] public partial class Bad { }""",
        """[AtomicStore("a.json", JsonContext = typeof(Missing))] public partial class Bad { }""",
        """[AtomicStore("a.json", JsonContext = typeof())] public partial class Bad { }""",
        """[AtomicStore("a.json", JsonContext = null)] public partial class Bad { }""",
        """[AtomicStore("a.json", Dura)] public partial class Bad { }""",
        """[AtomicStore("a.json", Durability = )] public partial class Bad { }""",
        """[AtomicStore("a.json")] public partial class """,
        """[AtomicStore("a.json" public partial class """,
        """[AtomicStore("a.json")] public partial interface Bad { }""",
        """[AtomicStore("a.json")] public enum Bad { A }""",
        """[AtomicStore("a.json")] public delegate void Bad();""",
        """[AtomicStore("a.json")] [AtomicStore("b.json")] public partial class Bad { }""",
        """[AtomicStore("a.json")] public partial class Bad { } [AtomicStore("b.json")] public partial class Bad { }""",
        """[AtomicStore("a.json")] public partial class Bad : Bad { }""",
        """[AtomicStore("a.json")] public partial class Bad { public void Load(string folder, }""",
        """[AtomicStore("a.json")] public partial class Bad { public static Bad Load( }""",
        """public static class W { public static void M(string d) { File.WriteAllText(Path.Combine(d, "good.json"), } }""",
        """public static class W { public static void M(string d) { File.WriteAllText( } }""",
        """public static class W { public static void M(string d) { new FileStream(Path.Combine(d, "good.json"), } }""",
        """public static class W { public static void M(string d) { File.WriteAllText($"{d}/{", "x"); } }""",
        """public static class W { public static void M(string d) { File.WriteAllText(Path.Combine(), "x"); } }""",
        """public static class W { public static void M(string d) { File.WriteAllText(Path.Combine(d, null), "x"); } }""",
        """public static class W { public static void M(string d) { File.WriteAllText(d + , "x"); } }""",
        """public static class W { public static void M(string d) { new StreamWriter(); } }""",
        """[AtomicStore("good.json")] public partial class Twin { }""",
        """[JsonSerializable(typeof(Good))] internal partial class Ctx : JsonSerializerContext { } [AtomicStore("a.json", JsonContext = typeof(Ctx<int>))] public partial class Bad { }""",
    ];

    [Theory]
    [MemberData(nameof(BrokenSources))]
    public void Broken_source_never_makes_the_generator_or_an_analyzer_throw(string broken)
    {
        const string Good = """[AtomicStore("good.json")] public sealed partial class Good { }""";

        // Harness.Analyze throws on a generator exception and on an analyzer exception (AD0001).
        var diagnostics = Harness.Analyze(Prelude + Good, Prelude + broken);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }

    /// <summary>Each case is a store with one error: the analyzer reports it and the generator emits nothing.</summary>
    [Theory]
    [InlineData("""[AtomicStore("a.json")] public class Bad { }""", "DRS001")]
    [InlineData("""[AtomicStore("../a.json")] public partial class Bad { }""", "DRS002")]
    [InlineData("""[AtomicStore("aux.json")] public partial class Bad { }""", "DRS002")]
    [InlineData("""[AtomicStore("a.json.bak")] public partial class Bad { }""", "DRS002")]
    [InlineData("""[AtomicStore("a.json")] public abstract partial class Bad { }""", "DRS004")]
    [InlineData("""[AtomicStore("a.json", JsonContext = typeof(Ctx))] public partial class Bad { } [JsonSerializable(typeof(int))] internal partial class Ctx : JsonSerializerContext { }""", "DRS005")]
    [InlineData("""[AtomicStore("a.json", JsonContext = typeof(string))] public partial class Bad { }""", "DRS005")]
    [InlineData("""[AtomicStore("a.json")] public partial class Bad { public int Store; }""", "DRS009")]
    [InlineData("""[AtomicStore("b.json")] public partial class B { } [AtomicStore("a.json")] public partial class Bad : B { }""", "DRS010")]
    [InlineData("""[AtomicStore("a.json", LockTimeoutMilliseconds = -5)] public partial class Bad { }""", "DRS011")]
    [InlineData("""[AtomicStore("a.json", Durability = (Durability)3)] public partial class Bad { }""", "DRS011")]
    public void Generator_and_analyzer_agree_on_types_with_an_error(string source, string id)
    {
        Compilation compilation = Harness.CreateCompilation([Prelude + source]);
        Compilation output = Harness.Generate(compilation);
        Assert.DoesNotContain(output.SyntaxTrees, t => t.FilePath.EndsWith("Demo.Bad.AtomicStore.g.cs", StringComparison.Ordinal));
        Assert.Contains(Harness.Analyze(compilation), d => d.Id == id && d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [InlineData("""[AtomicStore("a.json")] public partial class Good { public static Good Load(string folder, int retries) => new(); }""")]
    [InlineData("""[AtomicStore("state/con-fig.json")] public partial class Good { }""")]
    [InlineData("""[AtomicStore("a.json")] public partial class Good { public Good(int n) { } public Good(string s) { } }""")]
    public void Types_without_an_error_get_members_and_compile(string source)
    {
        Compilation output = Harness.Generate(Harness.CreateCompilation([Prelude + source]));
        Assert.Contains(output.SyntaxTrees, t => t.FilePath.EndsWith("Demo.Good.AtomicStore.g.cs", StringComparison.Ordinal));
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
