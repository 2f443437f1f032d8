using System.Collections;
using System.Reflection;
using DevRank.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DevRank.Generators.Tests;

/// <summary>
/// The generator must cost nothing while the user types elsewhere: unrelated edits leave every step of ours
/// cached, and a change to one store regenerates that store alone.
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

    private static readonly string[] OurSteps = [TrackingNames.Stores, TrackingNames.ValidStores];

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

        foreach (string step in OurSteps)
        {
            AssertReasons(second, step, IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged);
        }

        Assert.All(second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Contains(output.Reason, new[] { IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged }));
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
        IncrementalStepRunReason[] models = Reasons(second, TrackingNames.ValidStores);
        Assert.Equal(1, models.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, models.Count(r => r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
        IncrementalStepRunReason[] outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).Select(o => o.Reason).ToArray();
        Assert.Equal(1, outputs.Count(r => r == IncrementalStepRunReason.Modified));
    }

    [Fact]
    public void Pipeline_models_hold_no_compiler_objects()
    {
        (_, _, GeneratorRunResult first) = FirstRun();

        foreach (string step in OurSteps)
        {
            Assert.True(first.TrackedSteps.ContainsKey(step), $"Step {step} was not tracked.");
            foreach (IncrementalGeneratorRunStep run in first.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

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

    private static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason).ToArray();

    private static void AssertReasons(GeneratorRunResult result, string step, params IncrementalStepRunReason[] allowed)
    {
        IncrementalStepRunReason[] reasons = Reasons(result, step);
        Assert.NotEmpty(reasons);
        Assert.All(reasons, reason => Assert.True(allowed.Contains(reason), $"Step {step} ran again: {reason}."));
    }

    /// <summary>Walks an object graph and fails on anything that would pin a compilation in memory or defeat caching.</summary>
    private static void AssertNoCompilerObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Assert.False(
            value is ISymbol or SyntaxNode or SyntaxTree or Location or Compilation or SemanticModel or Diagnostic,
            $"{path} holds a {value.GetType().Name}; pipeline models must be plain data.");

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoCompilerObjects(item, $"{path}[{i++}]", seen);
            }
        }

        for (Type? type = value.GetType(); type is not null && type != typeof(object); type = type.BaseType)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoCompilerObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
            }
        }
    }
}
