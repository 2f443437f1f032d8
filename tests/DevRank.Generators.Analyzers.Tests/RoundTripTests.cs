using DevRank.Generators.Analyzers.Tests.Infrastructure;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>DRS020-DRS026: data a store saves that System.Text.Json does not give back, and shapes that round-trip.</summary>
public sealed class RoundTripTests
{
    private const string Usings = """
        using System;
        using System.Collections;
        using System.Collections.Generic;
        using System.Collections.ObjectModel;
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;
        namespace Demo;

        """;

    private static void Verify(string id, string markup) => Harness.Verify(id, Usings + markup, "DRS006");

    private static void VerifyClean(string source) => Harness.VerifyClean(Usings + source, "DRS006");

    // DRS020: public fields.

    [Fact]
    public void DRS020_public_fields_of_the_store_and_of_nested_types()
    {
        Verify("DRS020", """
            [AtomicStore("a.json")]
            public sealed partial class Profile
            {
                public string [|Name|] = "";
                public readonly int [|Age|];
                private int _cache;
                internal int Internal;
                public const int Version = 1;
                public static int Shared;
                [JsonInclude] public int Included;
                [JsonIgnore] public int Ignored;
                public List<Address> Addresses { get; set; } = [];
                public Address? Home { get; set; }
            }

            public sealed class Address
            {
                public string [|Street|] = "";
                public string City { get; set; } = "";
            }
            """);
    }

    [Fact]
    public void DRS020_not_reported_when_the_context_includes_fields()
    {
        VerifyClean("""
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Profile
            {
                public string Name = "";
                public (int X, int Y) Position;
            }

            [JsonSourceGenerationOptions(IncludeFields = true)]
            [JsonSerializable(typeof(Profile))]
            internal sealed partial class DemoJson : JsonSerializerContext { }
            """);
    }

    // DRS021: written, not read.

    [Fact]
    public void DRS021_properties_without_a_usable_setter_or_constructor_parameter()
    {
        Verify("DRS021", """
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                public string Login { get; set; } = "";
                public int [|Stars|] { get; private set; }
                public int [|Forks|] { get; } = 3;
                public DateTimeOffset [|Created|] { get; internal set; }
                public int Rank { get; init; }
                [JsonInclude] public int Followers { get; private set; }
                public int Total => Stars + Forks;
                public bool HasStars { get { return Stars > 0; } }
                [JsonIgnore] public int Hidden { get; private set; }
                private int Secret { get; set; }
            }
            """);
    }

    [Fact]
    public void DRS021_get_only_properties_filled_by_the_constructor_are_fine()
    {
        VerifyClean("""
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                public Account(string login, int stars) { Login = login; Stars = stars; }
                public string Login { get; }
                public int Stars { get; }
            }

            [AtomicStore("b.json")]
            public sealed partial class Named(string login)
            {
                public string Login { get; } = login;
            }

            [AtomicStore("c.json")]
            public sealed partial class Marked
            {
                public Marked() { }
                [JsonConstructor] public Marked(int count) => Count = count;
                public int Count { get; }
            }

            [AtomicStore("d.json")]
            public sealed partial record Positional(string Name, IReadOnlyList<int> Years)
            {
                public int Length => Name.Length;
            }

            [AtomicStore("e.json")]
            public readonly partial record struct Point(int X, int Y);
            """);
    }

    [Fact]
    public void DRS021_a_parameterless_constructor_wins_over_the_one_that_sets_the_property()
    {
        Verify("DRS021", """
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                public Account() : this("") { }
                public Account(string login) => Login = login;
                public string [|Login|] { get; }
            }
            """);
    }

    [Fact]
    public void DRS021_a_struct_is_created_by_its_default_constructor()
    {
        AssertMessages(Harness.Verify("DRS021", Usings + """
            [AtomicStore("a.json")]
            public readonly partial struct Range
            {
                public Range(int start, int end) { Start = start; End = end; }
                public int [|Start|] { get; }
                public int [|End|] { get; }
            }

            [AtomicStore("b.json")]
            public readonly partial struct Marked
            {
                [JsonConstructor] public Marked(int start) => Start = start;
                public int Start { get; }
            }
            """, "DRS006"), "default constructor");
    }

    [Fact]
    public void DRS021_not_reported_when_the_context_ignores_read_only_properties()
    {
        VerifyClean("""
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Account
            {
                public int Stars { get; }
            }

            [JsonSourceGenerationOptions(IgnoreReadOnlyProperties = true)]
            [JsonSerializable(typeof(Account))]
            internal sealed partial class DemoJson : JsonSerializerContext { }
            """);
    }

    // DRS022: get-only collections.

    [Fact]
    public void DRS022_get_only_collections_come_back_empty()
    {
        Verify("DRS022", """
            [AtomicStore("a.json")]
            public sealed partial class Library
            {
                public List<string> [|Titles|] { get; } = [];
                public Dictionary<string, int> [|Counts|] { get; private set; } = [];
                public HashSet<string> Tags { get; set; } = [];
                [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
                public List<string> Populated { get; } = [];
                public int[] Ids { get; set; } = [];
            }

            [AtomicStore("b.json")]
            [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
            public sealed partial class Shelf
            {
                public List<string> Titles { get; } = [];
            }

            [AtomicStore("c.json")]
            public sealed partial class Box(List<string> items)
            {
                public List<string> Items { get; } = items;
            }
            """);
    }

    [Fact]
    public void DRS022_not_reported_when_the_context_prefers_populate()
    {
        VerifyClean("""
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Library
            {
                public List<string> Titles { get; } = [];
            }

            [JsonSourceGenerationOptions(PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate)]
            [JsonSerializable(typeof(Library))]
            internal sealed partial class DemoJson : JsonSerializerContext { }
            """);
    }

    // DRS023: collection roots with members of their own.

    [Fact]
    public void DRS023_a_collection_root_or_member_with_its_own_properties()
    {
        Verify("DRS023", """
            [AtomicStore("a.json")]
            public sealed partial class Visited : List<string>
            {
                public DateTimeOffset [|LastRun|] { get; set; }
                public const string Legacy = "old.json";
                public static int Instances { get; set; }
                [JsonIgnore] public int Scratch { get; set; }
                public bool IsLarge => Count > 1000;
            }

            [AtomicStore("b.json")]
            public sealed partial class Holder
            {
                public Tally Tally { get; set; } = new();
            }

            public sealed class Tally : Dictionary<string, int>
            {
                public string [|Owner|] { get; set; } = "";
            }
            """);
    }

    // DRS024: derived types saved as their base.

    [Fact]
    public void DRS024_a_member_typed_as_a_base_with_derived_types()
    {
        Verify("DRS024", """
            [AtomicStore("a.json")]
            public sealed partial class Zoo
            {
                public List<Animal> [|Animals|] { get; set; } = [];
                public Animal? [|Favourite|] { get; set; }
                public Tagged? Tagged { get; set; }
                public Plain? Plain { get; set; }
                public Sealed? Sealed { get; set; }
            }

            public class Animal { public string Name { get; set; } = ""; }
            public class Dog : Animal { public bool Barks { get; set; } }
            public sealed class Cat : Animal { public int Lives { get; set; } }

            [JsonDerivedType(typeof(TaggedDog), "dog")]
            public class Tagged { public string Name { get; set; } = ""; }
            public sealed class TaggedDog : Tagged { public bool Barks { get; set; } }

            // Derived types that add nothing lose nothing.
            public class Plain { public int N { get; set; } }
            public sealed class Renamed : Plain { public override string ToString() => "x"; }

            public sealed class Sealed { public int N { get; set; } }
            """);
    }

    [Fact]
    public void DRS024_an_unsealed_store_with_a_derived_type()
    {
        AssertMessages(Harness.Verify("DRS024", Usings + """
            [AtomicStore("a.json")]
            public partial class [|Settings|]
            {
                public string Theme { get; set; } = "";
            }

            public sealed class ProSettings : Settings
            {
                public int Seats { get; set; }
            }
            """, "DRS006"), "ProSettings");
    }

    // DRS025: values that change.

    [Fact]
    public void DRS025_stacks_tuples_and_comparers()
    {
        Verify("DRS025", """
            [AtomicStore("a.json")]
            public sealed partial class Undo
            {
                public Stack<string> [|Steps|] { get; set; } = new();
                public Queue<string> Pending { get; set; } = new();
                public (int X, int Y) [|Position|] { get; set; }
                public List<(string, int)> [|Pairs|] { get; set; } = [];
                public Dictionary<string, int> Counts { get; set; } [|= new(StringComparer.OrdinalIgnoreCase)|];
                public HashSet<string> Tags { get; set; } [|= new HashSet<string>(StringComparer.Ordinal)|];
                public Dictionary<string, int> Sized { get; set; } = new(16);
                [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
                public Dictionary<string, int> Kept { get; } = new(StringComparer.OrdinalIgnoreCase);
                public Tuple<int, string> Old { get; set; } = Tuple.Create(1, "a");
            }
            """);
    }

    [Fact]
    public void DRS025_a_dictionary_root_whose_constructor_passes_a_comparer_is_fine()
    {
        VerifyClean("""
            [AtomicStore("tracker.json")]
            public sealed partial class Tracker : Dictionary<string, DateTimeOffset?>
            {
                public Tracker() : base(StringComparer.OrdinalIgnoreCase) { }
            }

            [AtomicStore("b.json")]
            public sealed partial record Names(Dictionary<string, int> Map)
            {
                public Dictionary<string, int> Map { get; init; } = new(Map, StringComparer.OrdinalIgnoreCase);
            }
            """);
    }

    // DRS026: a load that throws, or returns something else.

    [Fact]
    public void DRS026_default_that_new_T_leaves_and_saving_throws()
    {
        var found = Harness.Verify("DRS026", Usings + """
            using System.Collections.Immutable;
            using System.Text.Json;
            [AtomicStore("a.json")]
            public sealed partial class Release
            {
                public ImmutableArray<string> [|Assets|] { get; set; }
                public JsonElement [|Raw|] { get; set; }
                public ImmutableArray<int> Kept { get; set; } = [];
                public ImmutableArray<int>? Optional { get; set; }
                [JsonIgnore] public ImmutableArray<int> Ignored { get; set; }
            }

            [AtomicStore("b.json")]
            public sealed partial class Built
            {
                public Built() => Assets = [];
                public ImmutableArray<string> Assets { get; set; }
            }

            [AtomicStore("c.json")]
            public sealed partial record Positional(ImmutableArray<string> Assets);
            """, "DRS006", "DRS008");
        Assert.Equal(
            "'Assets' is default(ImmutableArray<string>) in new Release(), which LoadOrCreate and Update start from when the file is missing, and saving that default throws InvalidOperationException; give 'Assets' an initializer (= [] or ImmutableArray.Create<T>()), or pass a create function that sets it",
            found[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DRS026_enumerables_without_add_and_object_members()
    {
        Verify("DRS026", """
            [AtomicStore("a.json")]
            public sealed partial class Bag
            {
                public Range [|Window|] { get; set; } = new();
                public object? [|Payload|] { get; set; }
                public List<object> [|Items|] { get; set; } = [];
                public IEnumerable<int> Numbers { get; set; } = [];
                public Growable Growable { get; set; } = new();
                [JsonExtensionData] public Dictionary<string, object>? Extra { get; set; }
            }

            public sealed class Range : IEnumerable<int>
            {
                public IEnumerator<int> GetEnumerator() { yield return 1; }
                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }

            public sealed class Growable : Collection<int> { }
            """);
    }

    [Fact]
    public void DRS026_a_constructor_parameter_that_binds_to_no_member()
    {
        Harness.Verify("DRS026", Usings + """
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                public Account(string [|name|], int stars) { Login = name; Stars = stars; }
                public string Login { get; }
                public int Stars { get; }
            }

            [AtomicStore("b.json")]
            public sealed partial class Other
            {
                public Other() { }
                public Other(string name) => Login = name;   // not the one STJ uses
                public string Login { get; set; } = "";
            }

            [AtomicStore("c.json")]
            public sealed partial record Positional(string Name, int Count);
            """, "DRS006", "DRS021");
    }

    [Fact]
    public void DRS026_interface_and_abstract_members_cannot_be_created()
    {
        Verify("DRS026", """
            [AtomicStore("a.json")]
            public sealed partial class Drawing
            {
                public IShape? [|Shape|] { get; set; }
                public List<Base> [|Bases|] { get; set; } = [];
                public IKnown? Known { get; set; }
                public IReadOnlyList<int> Numbers { get; set; } = [];
            }

            public interface IShape { int Sides { get; } }
            public abstract class Base { public int X { get; set; } }

            [JsonDerivedType(typeof(Known), "known")]
            public interface IKnown { }
            public sealed class Known : IKnown { }
            """);
    }

    [Fact]
    public void DRS022_not_for_read_only_collection_types_which_Populate_cannot_fill()
    {
        Harness.Verify("DRS021", Usings + """
            [AtomicStore("a.json")]
            public sealed partial class Library
            {
                public IReadOnlyList<string> [|Titles|] { get; } = [];
                public System.Collections.Immutable.ImmutableArray<int> [|Ids|] { get; } = [];
                public ICollection<string> Tags { get; } = new List<string>(); // DRS022: this one can be populated
            }
            """, "DRS006", "DRS022");
    }

    // Shapes that round-trip.

    [Fact]
    public void Recursive_and_deep_models_are_walked_once_and_finish()
    {
        Verify("DRS020", """
            [AtomicStore("a.json")]
            public sealed partial class Tree
            {
                public Node Root { get; set; } = new();
            }

            public sealed class Node
            {
                public List<Node> Children { get; set; } = [];
                public Node? Parent { get; set; }
                public Dictionary<string, Node> ByName { get; set; } = [];
                public int [|Depth|];
            }
            """);
    }

    [Fact]
    public void Everyday_model_shapes_are_clean()
    {
        VerifyClean("""
            public enum Plan { Free, Pro }

            [AtomicStore("a.json")]
            public sealed partial class Workspace
            {
                public Guid Id { get; set; }
                public required string Name { get; init; }
                public Plan Plan { get; set; }
                public DateOnly Created { get; set; }
                public TimeSpan Timeout { get; set; }
                public Uri? Home { get; set; }
                public int? Limit { get; set; }
                public byte[] Logo { get; set; } = [];
                public Dictionary<string, List<Member>> Teams { get; set; } = [];
                public IReadOnlyDictionary<string, int> Scores { get; init; } = new Dictionary<string, int>();
                public IList<Page<Member>> Pages { get; set; } = [];
                public System.Text.Json.Nodes.JsonNode? Raw { get; set; }
                public System.Text.Json.JsonElement Extra { get; set; }
                public Audit Audit { get; set; } = new();
                public Member[] Owners { get; set; } = [];
                public HashSet<Plan> Plans { get; set; } = [];
                public SortedDictionary<string, int> Sorted { get; set; } = new();
                [JsonPropertyName("v")] public int Version { get; set; }
                public int Count => Teams.Count;
            }

            public sealed record Member(string Login, [property: JsonPropertyName("r")] string Role)
            {
                public bool IsAdmin => Role == "admin";
            }

            public sealed record Page<T>(int Number, IReadOnlyList<T> Items);

            public abstract class Entity
            {
                public DateTimeOffset Updated { get; set; }
            }

            public sealed class Audit : Entity
            {
                public string? By { get; set; }
            }
            """);
    }

    [Fact]
    public void Converters_take_over_the_type_they_convert()
    {
        VerifyClean("""
            [AtomicStore("a.json")]
            [JsonConverter(typeof(WholeConverter))]
            public sealed partial class Whole : List<string>
            {
                public int Extra { get; set; }
            }

            [AtomicStore("b.json")]
            public sealed partial class Holder
            {
                public Converted Value { get; set; } = new();
            }

            [JsonConverter(typeof(ConvertedConverter))]
            public sealed class Converted
            {
                public int Field;
                public int Stars { get; private set; }
            }

            public sealed class WholeConverter : JsonConverter<Whole>
            {
                public override Whole Read(ref System.Text.Json.Utf8JsonReader reader, Type type, System.Text.Json.JsonSerializerOptions options) => new();
                public override void Write(System.Text.Json.Utf8JsonWriter writer, Whole value, System.Text.Json.JsonSerializerOptions options) { }
            }

            public sealed class ConvertedConverter : JsonConverter<Converted>
            {
                public override Converted Read(ref System.Text.Json.Utf8JsonReader reader, Type type, System.Text.Json.JsonSerializerOptions options) => new();
                public override void Write(System.Text.Json.Utf8JsonWriter writer, Converted value, System.Text.Json.JsonSerializerOptions options) { }
            }
            """);
    }

    [Fact]
    public void A_type_outside_any_store_is_not_checked()
    {
        VerifyClean("""
            public sealed class NotAStore
            {
                public int Field;
                public int Stars { get; private set; }
                public Stack<int> Steps { get; set; } = new();
            }

            [AtomicStore("a.json")]
            public sealed partial class Keeper
            {
                public int N { get; set; }
            }
            """);
    }

    [Fact]
    public void A_type_reached_from_two_stores_is_reported_once()
    {
        Verify("DRS020", """
            [AtomicStore("a.json")]
            public sealed partial class One { public Shared S { get; set; } = new(); }

            [AtomicStore("b.json")]
            public sealed partial class Two { public List<Shared> All { get; set; } = []; }

            public sealed class Shared { public int [|N|]; }
            """);
    }

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public void Generator_snapshot_shapes_are_clean(string name) =>
        Assert.DoesNotContain(Harness.Analyze(DevRank.Generators.Tests.Shapes.Get(name)), d => string.CompareOrdinal(d.Id, "DRS020") >= 0 && string.CompareOrdinal(d.Id, "DRS026") <= 0);

    public static TheoryData<string> ShapeNames => DevRank.Generators.Tests.Shapes.All;

    [Fact]
    public void Sample_stores_are_clean()
    {
        string[] sources = [.. Directory.GetFiles(Harness.RepoFile("samples/DevRank.Sample/Stores"), "*.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText)];
        Assert.NotEmpty(sources);
        Assert.DoesNotContain(Harness.Analyze(sources), d => string.CompareOrdinal(d.Id, "DRS020") >= 0 && string.CompareOrdinal(d.Id, "DRS026") <= 0);
    }

    private static void AssertMessages(System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic> diagnostics, string expectedInMessage) =>
        Assert.All(diagnostics, d => Assert.Contains(expectedInMessage, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
}
