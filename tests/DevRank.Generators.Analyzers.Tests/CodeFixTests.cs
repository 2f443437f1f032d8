using DevRank.Generators.Analyzers.Tests.Infrastructure;
using DevRank.Generators.CodeFixes;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>Each code fix: the exact text before and after, and that the result compiles without DRS errors.</summary>
public sealed class CodeFixTests
{
    [Fact]
    public async Task DRS001_adds_partial_to_the_store_and_its_containers()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new MakePartialCodeFixProvider(), "DRS001", ["""
            using DevRank.AtomicStore;
            namespace Demo;
            public static class Outer
            {
                [AtomicStore("a.json")]
                public sealed class Inner { }

                [AtomicStore("b.json")]
                record Other(int N);
            }
            """]);
        Assert.Equal("""
            using DevRank.AtomicStore;
            namespace Demo;
            public static partial class Outer
            {
                [AtomicStore("a.json")]
                public sealed partial class Inner { }

                [AtomicStore("b.json")]
                partial record Other(int N);
            }
            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    [Fact]
    public async Task DRS007_rewrites_WriteAllText_to_AtomicFile()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new UseAtomicFileCodeFixProvider(), "DRS007", [Store, """
            using System.IO;
            using System.Text;
            namespace Demo;
            public static class Writer
            {
                public static void Write(string dir, string json) => File.WriteAllText(Path.Combine(dir, "users.json"), json, Encoding.UTF8);
            }
            """]);
        Assert.Equal("""
            using System.IO;
            using System.Text;
            namespace Demo;
            public static class Writer
            {
                public static void Write(string dir, string json) => DevRank.AtomicStore.AtomicFile.WriteAllText(Path.Combine(dir, "users.json"), json, Encoding.UTF8);
            }
            """, CodeFixHarness.Normalize(fixedSources[1]));
    }

    [Fact]
    public async Task DRS007_rewrites_async_writes_and_names_the_token()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new UseAtomicFileCodeFixProvider(), "DRS007", [Store, """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using DevRank.AtomicStore;
            namespace Demo;
            public static class Writer
            {
                public static Task Write(string dir, byte[] bytes, CancellationToken ct) =>
                    File.WriteAllBytesAsync(Path.Combine(dir, Users.FileName), bytes, ct);
            }
            """]);
        Assert.Equal("""
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;
            using DevRank.AtomicStore;
            namespace Demo;
            public static class Writer
            {
                public static Task Write(string dir, byte[] bytes, CancellationToken ct) =>
                    AtomicFile.WriteAllBytesAsync(Path.Combine(dir, Users.FileName), bytes, cancellationToken: ct);
            }
            """, CodeFixHarness.Normalize(fixedSources[1]));
    }

    [Fact]
    public async Task DRS007_offers_no_fix_where_there_is_no_same_shaped_AtomicFile_call() =>
        await CodeFixHarness.AssertNoFixAsync(new UseAtomicFileCodeFixProvider(), "DRS007", Store + """

            public static class Writer
            {
                public static void Write(string dir) => System.IO.File.AppendAllText(System.IO.Path.Combine(dir, "users.json"), "x");
            }
            """);

    [Fact]
    public async Task DRS006_creates_a_context_beside_the_store()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonContextCodeFixProvider(), "DRS006", ["""
            using DevRank.AtomicStore;

            namespace Demo;

            [AtomicStore("notes.json")]
            public sealed partial class Notes
            {
                public string Text { get; set; } = "";
            }
            """], "Add a JsonSerializerContext for 'Notes'");
        Assert.Equal("""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;

            namespace Demo;

            [AtomicStore("notes.json", JsonContext = typeof(NotesJsonContext))]
            public sealed partial class Notes
            {
                public string Text { get; set; } = "";
            }

            /// <summary>Source-generated JSON metadata for <see cref="Notes"/>.</summary>
            [JsonSerializable(typeof(Notes))]
            internal sealed partial class NotesJsonContext : JsonSerializerContext
            {
            }

            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    [Fact]
    public async Task DRS006_extends_an_existing_context_in_another_file()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonContextCodeFixProvider(), "DRS006", [
            """
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("notes.json")]
            public sealed partial class Notes { }
            """,
            """
            using System.Text.Json.Serialization;
            namespace Demo;
            [JsonSerializable(typeof(int))]
            internal sealed partial class AppJson : JsonSerializerContext { }
            """], "Serialize 'Notes' with the JsonSerializerContext 'AppJson'");
        Assert.Equal("""
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("notes.json", JsonContext = typeof(AppJson))]
            public sealed partial class Notes { }
            """, CodeFixHarness.Normalize(fixedSources[0]));
        Assert.Equal("""
            using System.Text.Json.Serialization;
            namespace Demo;
            [JsonSerializable(typeof(int))]
            [JsonSerializable(typeof(Notes))]
            internal sealed partial class AppJson : JsonSerializerContext { }
            """, CodeFixHarness.Normalize(fixedSources[1]));
    }

    [Fact]
    public async Task DRS005_adds_the_missing_JsonSerializable_line()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonContextCodeFixProvider(), "DRS005", ["""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("notes.json", JsonContext = typeof(AppJson))]
            public sealed partial class Notes { }
            [JsonSerializable(typeof(int))]
            internal sealed partial class AppJson : JsonSerializerContext { }
            """]);
        Assert.Equal("""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("notes.json", JsonContext = typeof(AppJson))]
            public sealed partial class Notes { }
            [JsonSerializable(typeof(int))]
            [JsonSerializable(typeof(Notes))]
            internal sealed partial class AppJson : JsonSerializerContext { }
            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    [Fact]
    public async Task DRS020_adds_JsonInclude_to_a_public_field_and_the_using()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonAttributeCodeFixProvider(), "DRS020", ["""
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json")]
            public sealed partial class Profile
            {
                /// <summary>The name.</summary>
                public string Name = "";
            }
            """], "Add [JsonInclude]");
        Assert.Equal("""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json")]
            public sealed partial class Profile
            {
                /// <summary>The name.</summary>
                [JsonInclude]
                public string Name = "";
            }
            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    [Fact]
    public async Task DRS021_adds_JsonInclude_after_the_existing_attributes()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonAttributeCodeFixProvider(), "DRS021", ["""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                [JsonPropertyName("s")]
                public int Stars { get; private set; }
            }
            """]);
        Assert.Equal("""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                [JsonPropertyName("s")]
                [JsonInclude]
                public int Stars { get; private set; }
            }
            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    [Fact]
    public async Task DRS021_with_a_context_also_makes_a_private_setter_internal()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonAttributeCodeFixProvider(), "DRS021", ["""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Account
            {
                public int Stars { get; private set; }
            }
            [JsonSerializable(typeof(Account))] internal sealed partial class DemoJson : JsonSerializerContext { }
            """]);
        Assert.Equal("""
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Account
            {
                [JsonInclude]
                public int Stars { get; internal set; }
            }
            [JsonSerializable(typeof(Account))] internal sealed partial class DemoJson : JsonSerializerContext { }
            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    [Fact]
    public async Task DRS021_has_no_fix_for_a_get_only_property() =>
        await CodeFixHarness.AssertNoFixAsync(new JsonAttributeCodeFixProvider(), "DRS021", """
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json")]
            public sealed partial class Account
            {
                public int Stars { get; } = 3;
            }
            """);

    [Fact]
    public async Task DRS022_populates_a_get_only_collection()
    {
        string[] fixedSources = await CodeFixHarness.ApplyAsync(new JsonAttributeCodeFixProvider(), "DRS022", ["""
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Library
            {
                public List<string> Titles { get; } = [];
            }
            [JsonSerializable(typeof(Library))] internal sealed partial class DemoJson : JsonSerializerContext { }
            """], "Populate the collection on load");
        Assert.Equal("""
            using System.Collections.Generic;
            using System.Text.Json.Serialization;
            using DevRank.AtomicStore;
            namespace Demo;
            [AtomicStore("a.json", JsonContext = typeof(DemoJson))]
            public sealed partial class Library
            {
                [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
                public List<string> Titles { get; } = [];
            }
            [JsonSerializable(typeof(Library))] internal sealed partial class DemoJson : JsonSerializerContext { }
            """, CodeFixHarness.Normalize(fixedSources[0]));
    }

    private const string Store = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;
        namespace Demo;
        [AtomicStore("users.json", JsonContext = typeof(DemoJson))] public sealed partial record Users(string[] Names);
        [JsonSerializable(typeof(Users))] internal sealed partial class DemoJson : JsonSerializerContext { }
        """;
}
