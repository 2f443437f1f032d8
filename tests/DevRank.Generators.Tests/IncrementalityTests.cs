using DevRank.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DevRank.Generators.Tests;

/// <summary>
/// The generator must cost nothing while the user types elsewhere: unrelated edits leave every step of ours
/// cached, and a change to one store regenerates that store alone. (Every snapshot shape also runs the cached
/// second-run check: <see cref="SnapshotTests"/>.)
/// </summary>
public sealed class IncrementalityTests
{
    private const string StoresSource = """
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("a.json")]
        public sealed partial class A
        {
            public int N { get; set; }

            public void Touch() => N++;
        }

        [AtomicStore("b.json")]
        public sealed partial record B(string Name)
        {
            public B() : this("") { }
        }
        """;

    private const string OtherSource = """
        namespace Demo;

        public class Other
        {
            public int Twice(int x) => x * 2;
        }
        """;

    public static TheoryData<string> UnrelatedEdits { get; } = ["new class in another tree", "changed method body", "added comment", "edit in another tree"];

    [Theory]
    [MemberData(nameof(UnrelatedEdits))]
    public void Unrelated_edit_keeps_every_step_cached(string edit)
    {
        (GeneratorDriver driver, Compilation compilation, GeneratorRunResult first) = FirstRun();

        Compilation edited = edit switch
        {
            "new class in another tree" => compilation.AddSyntaxTrees(Parse("namespace Demo; public class Added { }", "Added.cs")),
            "changed method body" => Replace(compilation, 0, StoresSource.Replace("N++", "N += 2", StringComparison.Ordinal)),
            "added comment" => Replace(compilation, 0, "// A comment that changes nothing.\n" + StoresSource),
            "edit in another tree" => Replace(compilation, 1, OtherSource.Replace("x * 2", "x + x", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(edit)),
        };
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Ours();

        Incrementality.AssertStepsCached(second);
        Assert.Equal(Texts(first), Texts(second));
    }

    [Fact]
    public void Changing_one_file_name_regenerates_that_store_only()
    {
        (GeneratorDriver driver, Compilation compilation, GeneratorRunResult first) = FirstRun();

        Compilation edited = Replace(compilation, 0, StoresSource.Replace("\"a.json\"", "\"a2.json\"", StringComparison.Ordinal));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Ours();

        Dictionary<string, string> before = Texts(first);
        Dictionary<string, string> after = Texts(second);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        Assert.NotEqual(before["Demo.A.AtomicStore.g.cs"], after["Demo.A.AtomicStore.g.cs"]);
        Assert.Contains("\"a2.json\"", after["Demo.A.AtomicStore.g.cs"], StringComparison.Ordinal);
        Assert.Equal(before["Demo.B.AtomicStore.g.cs"], after["Demo.B.AtomicStore.g.cs"]);

        // One model changed, the other did not; so one source output ran again.
        IncrementalStepRunReason[] models = Incrementality.Reasons(second, TrackingNames.ValidStores);
        Assert.Equal(1, models.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, models.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        IncrementalStepRunReason[] outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void Pipeline_models_hold_no_compiler_objects() => Incrementality.AssertNoCompilerObjects(FirstRun().Result);

    private static (GeneratorDriver Driver, Compilation Compilation, GeneratorRunResult Result) FirstRun()
    {
        Compilation compilation = GeneratorHarness.CreateCompilation(StoresSource, OtherSource);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult result = driver.GetRunResult().Ours();
        Assert.Equal(2, result.GeneratedSources.Length);
        return (driver, compilation, result);
    }

    private static SyntaxTree Parse(string source, string path) => CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path);

    private static Compilation Replace(Compilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, Parse(source, old.FilePath));
    }

    private static Dictionary<string, string> Texts(GeneratorRunResult result) =>
        result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
}
