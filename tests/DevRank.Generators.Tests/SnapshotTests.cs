using System.Runtime.CompilerServices;
using DevRank.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Tests;

/// <summary>What the generator writes for each shape. The snapshots are the review surface: read them.</summary>
public sealed class SnapshotTests
{
    [Fact] public void RecordWithPrimaryConstructorAndContext() => Verify(Shapes.RecordWithPrimaryConstructorAndContext);

    [Fact] public void ClassWithoutContext() => Verify(Shapes.ClassWithoutContext);

    [Fact] public void Struct() => Verify(Shapes.Struct);

    [Fact] public void RecordStruct() => Verify(Shapes.RecordStruct);

    [Fact] public void FileScopedNamespace() => Verify(Shapes.FileScopedNamespace);

    [Fact] public void BlockNamespaces() => Verify(Shapes.BlockNamespaces);

    [Fact] public void GlobalNamespace() => Verify(Shapes.GlobalNamespace);

    [Fact] public void NestedInPartialTypes() => Verify(Shapes.NestedInPartialTypes);

    [Fact] public void InternalType() => Verify(Shapes.InternalType);

    [Fact] public void NonDefaultOptions() => Verify(Shapes.NonDefaultOptions);

    [Fact] public void NonDefaultOptionsWithContext() => Verify(Shapes.NonDefaultOptionsWithContext);

    [Fact] public void DefaultOptionsSpelledOut() => Verify(Shapes.DefaultOptionsSpelledOut);

    [Fact] public void SubFolderFileName() => Verify(Shapes.SubFolderFileName);

    [Fact] public void ListRoot() => Verify(Shapes.ListRoot);

    [Fact] public void MapRoot() => Verify(Shapes.MapRoot);

    [Fact] public void RequiredMembers() => Verify(Shapes.RequiredMembers);

    [Fact] public void RequiredMembersSetByConstructor() => Verify(Shapes.RequiredMembersSetByConstructor);

    [Fact] public void NoParameterlessConstructor() => Verify(Shapes.NoParameterlessConstructor);

    [Fact] public void UnsealedRecordWithParameterlessConstructor() => Verify(Shapes.UnsealedRecordWithParameterlessConstructor);

    [Fact] public void KeywordNames() => Verify(Shapes.KeywordNames);

    [Fact] public void JsonLinesWithContext() => Verify(Shapes.JsonLinesWithContext);

    [Fact] public void JsonLinesByReflectionWithOptions() => Verify(Shapes.JsonLinesByReflectionWithOptions);

    [Fact] public void JsonLinesByFormatOption() => Verify(Shapes.JsonLinesByFormatOption);

    [Fact] public void JavaScriptStyles() => Verify(Shapes.JavaScriptStyles);

    private static void Verify(string source, [CallerMemberName] string method = "", [CallerFilePath] string file = "")
    {
        GeneratorRunResult result = GeneratorHarness.Run(source).Ours();
        Assert.Null(result.Exception);
        Assert.Empty(result.Diagnostics);

        // One store per shape, so one file: a missing file is a failure, not an empty snapshot.
        GeneratedSourceResult generated = Assert.Single(result.GeneratedSources);
        string name = generated.HintName.EndsWith(".cs", StringComparison.Ordinal) ? generated.HintName[..^3] : generated.HintName;
        Snapshot.Match(ScrubVersion(generated.SourceText.ToString()), nameof(SnapshotTests), method, name, file);

        // Every shape, not just two stores: a second run across an unrelated edit is all cache hits.
        Incrementality.AssertCachedOnSecondRun(source);
    }

    [Fact]
    public void GeneratedCode_carries_the_generator_assembly_version() =>
        Assert.Contains(
            $"GeneratedCode(\"DevRank.Generators\", \"{typeof(AtomicStoreGenerator).Assembly.GetName().Version}\")",
            GeneratorHarness.Run(Shapes.Struct).Ours().GeneratedSources.Single().SourceText.ToString(),
            StringComparison.Ordinal);

    /// <summary>The version is in every member's [GeneratedCode]: a version bump must not rewrite every snapshot.</summary>
    private static string ScrubVersion(string text) =>
        text.Replace(
            $"GeneratedCode(\"DevRank.Generators\", \"{typeof(AtomicStoreGenerator).Assembly.GetName().Version}\")",
            "GeneratedCode(\"DevRank.Generators\", \"{version}\")",
            StringComparison.Ordinal);
}
