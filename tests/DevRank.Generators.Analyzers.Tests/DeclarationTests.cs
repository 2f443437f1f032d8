using DevRank.Generators.Analyzers.Tests.Infrastructure;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>DRS001-DRS006 and DRS008-DRS012: what is wrong with a store declaration, and exactly where.</summary>
public sealed class DeclarationTests
{
    private const string Usings = "using System.Text.Json.Serialization;\nusing DevRank.AtomicStore;\nnamespace Demo;\n";

    [Fact]
    public void DRS001_store_that_is_not_partial()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS001", Usings + """[AtomicStore("a.json")] public sealed class [|A|] { }"""));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'A' must be partial", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS001_every_containing_type_that_is_not_partial() =>
        Harness.Verify("DRS001", Usings + """
            public class [|Outer|]
            {
                public partial class Middle
                {
                    [AtomicStore("a.json")] public class [|Inner|] { }
                }
            }
            """);

    [Fact]
    public void DRS001_not_reported_for_partial_types() =>
        Harness.VerifyClean(Usings + """public partial class Outer { [AtomicStore("a.json")] public partial class Inner { } }""", "DRS006");

    [Theory]
    [InlineData("\"\"", "empty")]
    [InlineData("\"  \"", "empty")]
    [InlineData("null", "empty")]
    [InlineData("\"/etc/a.json\"", "rooted")]
    [InlineData("@\"C:\\a.json\"", "rooted")]
    [InlineData("@\"\\\\server\\a.json\"", "rooted")]
    [InlineData("\"../a.json\"", "'..'")]
    [InlineData("\"state/../../a.json\"", "'..'")]
    [InlineData("\"state/\"", "separator")]
    [InlineData("\"a?.json\"", "'?'")]
    [InlineData("\"ab:c.json\"", "':'")]
    [InlineData("\"a\\0.json\"", "\\u0000")]
    [InlineData("\"a.json.\"", "dot or a space")]
    [InlineData("\"CON\"", "reserved device name")]
    [InlineData("\"state/nul.json\"", "reserved device name")]
    [InlineData("\"COM1.json\"", "reserved device name")]
    [InlineData("\"users.json.bak\"", "backup")]
    [InlineData("\".users.json.lock\"", "lock")]
    [InlineData("\".users.json.0123456789abcdef.tmp\"", "temp")]
    public void DRS002_unusable_file_name_on_the_argument(string literal, string why)
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS002", Usings + $"[AtomicStore([|{literal}|])] public partial class A {{ }}"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains(why, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a.json")]
    [InlineData("state/users.json")]
    [InlineData(@"state\\users.json")]
    [InlineData(".hidden.json")]
    [InlineData("console.json")]
    [InlineData("COM10.json")]
    [InlineData("users.lock")]
    [InlineData("users.tmp")]
    public void DRS002_not_reported_for_usable_names(string name) =>
        Harness.VerifyClean(Usings + $"[AtomicStore(\"{name}\")] public partial class A {{ }}", "DRS006");

    [Fact]
    public void DRS003_two_stores_with_one_file_across_files_ignoring_case_and_separators()
    {
        var diagnostics = Harness.Verify(
            "DRS003",
            [
                Usings + """[[|AtomicStore("State/Users.json")|]] public partial class Users { }""",
                Usings + """[[|AtomicStore(@"state\users.json")|]] public partial class Accounts { }""",
            ],
            "DRS006");
        Assert.Contains("as does store 'Accounts'", diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Contains("as does store 'Users'", diagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS003_not_reported_for_different_files() =>
        Harness.VerifyClean(Usings + """
            [AtomicStore("users.json")] public partial class Users { }
            [AtomicStore("state/users.json")] public partial class StateUsers { }
            [AtomicStore("users.json.txt")] public partial class Text { }
            """, "DRS006");

    [Theory]
    [InlineData("public static partial class [|Bad|] { }", "static")]
    [InlineData("public abstract partial class [|Bad|] { }", "abstract")]
    [InlineData("public partial class [|Bad|]<T> { }", "generic")]
    [InlineData("public ref partial struct [|Bad|] { }", "ref struct")]
    [InlineData("file partial class [|Bad|] { }", "file-local")]
    public void DRS004_unsupported_type(string declaration, string why)
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS004", Usings + "[AtomicStore(\"a.json\")] " + declaration));
        Assert.Contains(why, d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS004_type_nested_in_a_generic_type()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS004", Usings + """public partial class Outer<T> { [AtomicStore("a.json")] public partial class [|Bad|] { } }"""));
        Assert.Contains("nested in the generic type 'Outer'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS004_not_reported_for_classes_records_and_structs() =>
        Harness.VerifyClean(Usings + """
            [AtomicStore("a.json")] public sealed partial class A { }
            [AtomicStore("b.json")] public partial record B(int N) { public B() : this(0) { } }
            [AtomicStore("c.json")] public partial struct C { }
            [AtomicStore("d.json")] public partial record struct D(int N);
            """, "DRS006");

    [Fact]
    public void DRS005_context_that_is_not_a_JsonSerializerContext()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS005", Usings + """[AtomicStore("a.json", JsonContext = [|typeof(string)|])] public partial class A { }"""));
        Assert.Contains("'String' is not a usable JsonSerializerContext", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS005_context_that_does_not_list_the_store_names_the_line_to_add()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS005", Usings + """
            [AtomicStore("a.json", JsonContext = [|typeof(Ctx)|])] public partial class A { }
            [JsonSerializable(typeof(int))] internal sealed partial class Ctx : JsonSerializerContext { }
            """));
        Assert.Contains("add [JsonSerializable(typeof(A))] to 'Ctx'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS005_not_reported_for_a_context_that_lists_the_store() =>
        Harness.VerifyClean(Usings + """
            [AtomicStore("a.json", JsonContext = typeof(Ctx))] public partial class A { }
            [JsonSerializable(typeof(A))] internal sealed partial class Ctx : JsonSerializerContext { }
            """);

    [Fact]
    public void DRS006_store_without_context_is_info_on_the_attribute()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS006", Usings + """[[|AtomicStore("a.json", WriteIndented = true)|]] public partial class A { }"""));
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Contains("trim- and AOT-safe", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS008_no_constructor_the_reflection_reader_can_use()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS008", Usings + """
            [AtomicStore("a.json")] public partial class [|A|]
            {
                public A(int n) { }
                public A(string s) { }
            }
            """, "DRS006"));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
    }

    [Fact]
    public void DRS008_not_reported_for_constructors_the_reader_can_use() =>
        Harness.VerifyClean(Usings + """
            [AtomicStore("a.json")] public partial class A { public A(int n) { } }
            [AtomicStore("b.json")] public partial class B { public B(int n) { } public B(string s) { } [JsonConstructor] internal B() { } }
            [AtomicStore("c.json")] public partial record C(int N);
            [AtomicStore("d.json")] public partial struct D { public D(int n) { } public D(string s) { } }
            [AtomicStore("e.json", JsonContext = typeof(Ctx))] public partial class E { public E(int n) { } public E(string s) { } [JsonConstructor] public E() { } }
            [JsonSerializable(typeof(E))] internal sealed partial class Ctx : JsonSerializerContext { }
            """, "DRS006");

    [Fact]
    public void DRS009_members_that_clash_with_generated_ones()
    {
        var diagnostics = Harness.Verify("DRS009", Usings + """
            [AtomicStore("a.json")] public partial class A
            {
                public int [|FileName|] { get; set; }
                public static A [|Load|](string folder) => new();
                public static A Load(string folder, int retries) => new();
                public void Save(int slot) { }
                public string [|Update|] = "";
            }
            """, "DRS006");
        Assert.Contains("The property 'A.FileName' clashes with the member 'FileName'", diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    /// <summary>
    /// A generated member would hide an inherited one (CS0108, an error under TreatWarningsAsErrors), and the base's
    /// <c>FileName</c> would be silently shadowed by the generated constant. Reported on the store, one per member.
    /// </summary>
    [Fact]
    public void DRS009_inherited_members_a_generated_member_would_hide()
    {
        var diagnostics = Harness.Verify("DRS009", Usings + """
            public class Base
            {
                public void Save(string folder) { }
                public void Save(int slot) { }                   // another signature: an overload, no clash
                public static Base Load(string folder) => new();
                public string FileName { get; set; } = "";
                protected static int Store;
                private static int TryLoad() => 0;                // private: not inherited
            }

            public class Middle : Base { }

            [AtomicStore("a.json")] public partial class [|[|[|[|A|]|]|]|] : Middle { }
            """, "DRS006");
        string messages = string.Join("\n", diagnostics.Select(d => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains("The method 'Base.Save(string)', inherited from 'Base', clashes with the member 'Save'", messages, StringComparison.Ordinal);
        Assert.Contains("The property 'Base.FileName', inherited from 'Base', clashes", messages, StringComparison.Ordinal);
        Assert.Contains("The method 'Base.Load(string)', inherited from 'Base', clashes", messages, StringComparison.Ordinal);
        Assert.Contains("The field 'Base.Store', inherited from 'Base', clashes", messages, StringComparison.Ordinal);
    }

    [Fact]
    public void DRS009_not_reported_for_collection_roots_and_private_base_members() =>
        Harness.VerifyClean(Usings + """
            public class Base { private void Save(string folder) { } private static int FileName; }
            [AtomicStore("a.json")] public partial class A : Base { }
            [AtomicStore("v.json")] public partial class Visited : System.Collections.Generic.List<string> { }
            [AtomicStore("t.json")] public partial class Tracker : System.Collections.Generic.Dictionary<string, int> { }
            """, "DRS006");

    [Fact]
    public void DRS009_store_named_like_a_generated_member() =>
        Harness.Verify("DRS009", Usings + """[AtomicStore("a.json")] public partial class [|Store|] { }""", "DRS006");

    /// <summary>
    /// The emitter and the DRS009 check read one member table; this checks the two against real text: the generated
    /// part, pasted in as the user's own file, must clash on every member it declares.
    /// </summary>
    [Theory]
    [InlineData("public partial class A { }")]
    [InlineData("public partial struct A { }")]
    [InlineData("public partial record A(int N);")]
    public void DRS009_on_every_member_of_the_generated_part_written_by_hand(string declaration)
    {
        string store = Usings + $"[AtomicStore(\"a.json\")] {declaration}";
        Compilation generated = Harness.Generate(Harness.CreateCompilation([store]));
        string part = generated.SyntaxTrees.Single(t => t.FilePath.EndsWith("Demo.A.AtomicStore.g.cs", StringComparison.Ordinal)).ToString()
            // Without these it is the user's code: analyzers report nothing in generated code or on [GeneratedCode] members.
            .Replace("// <auto-generated/>", "", StringComparison.Ordinal);
        part = System.Text.RegularExpressions.Regex.Replace(part, @"\[global::System\.CodeDom\.Compiler\.GeneratedCode\([^\]]*\)\]", "");
        int members = CSharpSyntaxTree.ParseText(part).GetRoot().DescendantNodes()
            .Count(node => node is MethodDeclarationSyntax or PropertyDeclarationSyntax or FieldDeclarationSyntax);

        ImmutableArray<Diagnostic> diagnostics = Harness.Analyze(store, part);
        Assert.True(members > 10, part);
        Assert.True(members == diagnostics.Count(d => d.Id == "DRS009"), string.Join("\n", diagnostics));
    }

    [Fact]
    public void DRS010_store_deriving_from_a_store()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS010", Usings + """
            [AtomicStore("b.json")] public partial class B { }
            [AtomicStore("a.json")] public partial class [|A|] : B { }
            """, "DRS006"));
        Assert.Contains("derives from the store 'B'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS011_negative_lock_timeout_and_undefined_durability()
    {
        var diagnostics = Harness.Verify("DRS011", Usings + """
            [AtomicStore("a.json", LockTimeoutMilliseconds = [|-1|])] public partial class A { }
            [AtomicStore("b.json", Durability = [|(Durability)7|])] public partial class B { }
            """);
        Assert.Equal("LockTimeoutMilliseconds of store 'A' is -1; it must be 0 or more", diagnostics[0].GetMessage(System.Globalization.CultureInfo.InvariantCulture));

        // The names come from the runtime's enum, compiled into the generator from its source.
        Assert.Equal(
            "Durability of store 'B' is 7, which is not a Durability value; use Durability.Durable or Durability.AtomicOnly",
            diagnostics[1].GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DRS011_not_reported_for_valid_options() =>
        Harness.VerifyClean(Usings + """[AtomicStore("a.json", LockTimeoutMilliseconds = 0, Durability = Durability.AtomicOnly)] public partial class A { }""", "DRS006");

    [Fact]
    public void DRS013_below_CSharp9_and_not_from_CSharp9_on()
    {
        // Block namespace: file-scoped ones are C# 10.
        const string Store = """
            namespace Demo
            {
                [DevRank.AtomicStore.AtomicStore("a.json")] public partial class A { }
            }
            """;
        Diagnostic d = Assert.Single(
            Harness.Analyze(Harness.CreateCompilation([Store], parseOptions: Harness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp8))),
            d => d.Id == "DRS013");
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("[DevRank.AtomicStore.AtomicStore(\"a.json\")]"[1..^1], Store.Substring(d.Location.SourceSpan.Start, d.Location.SourceSpan.Length));
        Assert.Contains("needs C# 9.0 or later and this project compiles as C# 8.0", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        Assert.DoesNotContain(
            Harness.Analyze(Harness.CreateCompilation([Store], parseOptions: Harness.ParseOptions.WithLanguageVersion(LanguageVersion.CSharp9))),
            d => d.Id == "DRS013");
    }

    /// <summary>
    /// The attribute as a newer runtime (or an edit that forgot the generator) might declare it: the option is real
    /// to the compiler, but this generator cannot honour it, so it emits nothing and must say why.
    /// </summary>
    private const string AttributeWithUnknownOption = """
        namespace DevRank.AtomicStore
        {
            [System.AttributeUsage(System.AttributeTargets.Class | System.AttributeTargets.Struct)]
            public sealed class AtomicStoreAttribute(string fileName) : System.Attribute
            {
                public string FileName { get; } = fileName;
                public bool Compress { get; set; }
            }
        }
        """;

    [Fact]
    public void DRS012_option_the_generator_does_not_know()
    {
        Diagnostic d = Assert.Single(Harness.Verify(
            "DRS012",
            [AttributeWithUnknownOption, """using DevRank.AtomicStore; namespace Demo; [AtomicStore("a.json", [|Compress = true|])] public partial class A { }"""],
            "DRS006"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'Compress'", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        // And the generator, which cannot honour the option, emits nothing for the store.
        Compilation output = Harness.Generate(Harness.CreateCompilation([AttributeWithUnknownOption, """using DevRank.AtomicStore; namespace Demo; [AtomicStore("a.json", Compress = true)] public partial class A { }"""]));
        Assert.DoesNotContain(output.SyntaxTrees, tree => tree.FilePath.EndsWith("A.AtomicStore.g.cs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Pragma_suppresses_a_diagnostic()
    {
        string source = Usings + """
            #pragma warning disable DRS006
            [AtomicStore("a.json")] public partial class A { }
            #pragma warning restore DRS006
            """;
        Compilation output = Harness.Generate(Harness.CreateCompilation([source]));
        var diagnostics = await output.WithAnalyzers(Harness.Analyzers).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "DRS006" && !d.IsSuppressed);
    }
}
