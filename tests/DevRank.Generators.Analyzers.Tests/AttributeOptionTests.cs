using System.Reflection;
using DevRank.AtomicStore;
using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>
/// An option added to <see cref="AtomicStoreAttribute"/> must reach the parser, the analyzer and the docs together:
/// the attribute is read by reflection, so a new property fails here until all three know it.
/// </summary>
public sealed class AttributeOptionTests
{
    private const string Usings = "using System.Text.Json.Serialization;\nusing DevRank.AtomicStore;\nnamespace Demo;\n";

    public static TheoryData<string> Options { get; } = [.. OptionNames()];

    /// <summary>A store of each format: an option may only mean something to one of them (DRS019 says so for the other).</summary>
    private static readonly string[] Stores =
    [
        """[AtomicStore("a.json"{0})] public partial class A { }""",
        """[AtomicStore("a.jsonl"{0})] public partial class A : System.Collections.Generic.List<int> { }""",
        """[AtomicStore("a.json", Style = JsonStyle.JavaScript{0})] public partial class A { }""",
    ];

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_option_changes_the_output_and_passes_the_analyzer(string option)
    {
        string setting = $", {option} = {SampleValue(typeof(AtomicStoreAttribute).GetProperty(option)!)}";
        var failures = new List<string>();
        foreach (string store in Stores)
        {
            string baseline = Generated(store, "", out _);
            string withOption = Generated(store, setting, out Diagnostic[] diagnostics);

            // The parser has a case for it (no DRS012, members emitted) and reads it (the output changes).
            if (diagnostics.Length == 0 && baseline != withOption)
            {
                return;
            }

            failures.Add($"{store}: " + (diagnostics.Length > 0 ? string.Join("; ", diagnostics.Select(d => d.ToString())) : "the output did not change"));
        }

        Assert.Fail($"{option} changes no store's output cleanly:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Every_property_is_documented_in_the_options_table()
    {
        string doc = File.ReadAllText(Harness.RepoFile("docs/generator.md"));
        Assert.All(
            typeof(AtomicStoreAttribute).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly),
            property => Assert.Contains($"\n| `{property.Name}`", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_are_found_on_the_attribute() => Assert.Contains("Durability", OptionNames());

    /// <summary>The settable properties: the named arguments a user can write.</summary>
    private static IEnumerable<string> OptionNames() =>
        typeof(AtomicStoreAttribute).GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Where(p => p.CanWrite).Select(p => p.Name);

    /// <summary>A valid value that is not the attribute's default, as C#.</summary>
    private static string SampleValue(PropertyInfo property)
    {
        object? defaultValue = property.GetValue(new AtomicStoreAttribute("a.json"));
        Type type = property.PropertyType;
        if (type == typeof(bool))
        {
            return (bool)defaultValue! ? "false" : "true";
        }

        if (type == typeof(int))
        {
            return ((int)defaultValue! + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (type.IsEnum)
        {
            string other = Enum.GetNames(type).First(name => !Equals(Enum.Parse(type, name), defaultValue));
            return $"{type.Name}.{other}";
        }

        if (type == typeof(Type))
        {
            return "typeof(Ctx)";
        }

        throw new InvalidOperationException($"No sample value for an option of type {type}: teach this test, the parser and the analyzer about it.");
    }

    /// <summary>The generated file of store <c>A</c>, and the DRS diagnostics other than DRS006 (reflection).</summary>
    private static string Generated(string store, string options, out Diagnostic[] diagnostics)
    {
        string source = Usings + store.Replace("{0}", options, StringComparison.Ordinal) + """

            [JsonSerializable(typeof(A))] internal sealed partial class Ctx : JsonSerializerContext { }
            """;
        Compilation compilation = Harness.CreateCompilation([source]);
        diagnostics = [.. Harness.Analyze(compilation).Where(d => d.Id != "DRS006")];
        SyntaxTree? tree = Harness.Generate(compilation).SyntaxTrees.SingleOrDefault(t => t.FilePath.EndsWith("Demo.A.AtomicStore.g.cs", StringComparison.Ordinal));
        Assert.True(tree is not null, $"No members for {store.Replace("{0}", options, StringComparison.Ordinal)}.");
        return tree.ToString();
    }
}
