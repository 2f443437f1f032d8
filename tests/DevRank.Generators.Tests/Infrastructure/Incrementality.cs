using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DevRank.Generators.Tests.Infrastructure;

/// <summary>
/// The caching checks NetEscapades runs on every snapshot: generate twice, across an edit that changes nothing of
/// ours, and assert that every step of ours was Cached or Unchanged the second time and that no step's output holds
/// a symbol, syntax node or compilation (which would pin a compilation in memory and defeat caching).
/// </summary>
internal static class Incrementality
{
    public static readonly string[] OurSteps = [TrackingNames.Stores, TrackingNames.ValidStores];

    private static readonly IncrementalStepRunReason[] Cached = [IncrementalStepRunReason.Cached, IncrementalStepRunReason.Unchanged];

    /// <summary>Runs the check over <paramref name="sources"/>, with a new unrelated tree as the edit.</summary>
    public static void AssertCachedOnSecondRun(params string[] sources)
    {
        Compilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation);
        GeneratorRunResult first = driver.GetRunResult().Ours();
        AssertNoCompilerObjects(first);

        Compilation edited = compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace Unrelated { internal sealed class Edit { } }", GeneratorHarness.ParseOptions, "Edit.cs"));
        GeneratorRunResult second = driver.RunGenerators(edited).GetRunResult().Ours();
        AssertStepsCached(second);
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    /// <summary>Every output of our named steps, and of the source output, was Cached or Unchanged.</summary>
    public static void AssertStepsCached(GeneratorRunResult result)
    {
        foreach (string step in OurSteps)
        {
            IncrementalStepRunReason[] reasons = Reasons(result, step);
            Assert.NotEmpty(reasons);
            Assert.All(reasons, reason => Assert.True(Cached.Contains(reason), $"Step {step} ran again: {reason}."));
        }

        Assert.All(result.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.True(Cached.Contains(output.Reason), $"A source output ran again: {output.Reason}."));
    }

    public static IncrementalStepRunReason[] Reasons(GeneratorRunResult result, string step) =>
        result.TrackedSteps[step].SelectMany(run => run.Outputs).Select(output => output.Reason).ToArray();

    /// <summary>No output of our named steps holds a compiler object.</summary>
    public static void AssertNoCompilerObjects(GeneratorRunResult result)
    {
        foreach (string step in OurSteps)
        {
            Assert.True(result.TrackedSteps.ContainsKey(step), $"Step {step} was not tracked.");
            foreach (IncrementalGeneratorRunStep run in result.TrackedSteps[step])
            {
                foreach ((object value, _) in run.Outputs)
                {
                    AssertNoCompilerObjects(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
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
