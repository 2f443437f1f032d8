using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>DRS017-DRS019 and DRS011 for <c>Format</c>: what a JSON Lines store needs, and what only it has.</summary>
public sealed class FormatTests
{
    private const string Usings = "using System.Collections.Generic;\nusing System.Collections.ObjectModel;\nusing System.Text.Json.Serialization;\nusing DevRank.AtomicStore;\nnamespace Demo;\n";

    private static string Message(Diagnostic d) => d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_jsonl_list_store_is_clean_and_gets_the_JSON_Lines_members()
    {
        string source = Usings + """
            [AtomicStore("a.jsonl", JsonContext = typeof(Ctx))] public sealed partial class A : List<int> { }
            [AtomicStore("b.NDJSON", JsonContext = typeof(Ctx))] public sealed partial class B : Collection<string> { }
            [AtomicStore("c.txt", Format = StoreFormat.JsonLines, FinalNewline = false, JsonContext = typeof(Ctx))] public sealed partial class C : HashSet<long> { }
            [JsonSerializable(typeof(A))][JsonSerializable(typeof(B))][JsonSerializable(typeof(C))] internal sealed partial class Ctx : JsonSerializerContext { }
            public static class Use
            {
                public static async System.Threading.Tasks.Task Run(string dir)
                {
                    A.Append(dir, 1);
                    A.Append(dir, new[] { 2, 3 });
                    await B.AppendAsync(dir, "x");
                    foreach (long n in C.Read(dir)) { }
                    await foreach (string s in B.ReadAsync(dir)) { }
                    A.Store.Append(dir, 4);
                }
            }
            """;
        Harness.VerifyClean(source);
        Harness.AssertCompiles(source);
    }

    [Fact]
    public void DRS017_JSON_Lines_store_that_is_not_a_collection_of_one_record_type()
    {
        var diagnostics = Harness.Verify("DRS017", Usings + """
            [AtomicStore("a.jsonl")] public sealed partial class [|A|] { public int N { get; set; } }
            [AtomicStore("b.json", Format = StoreFormat.JsonLines)] public sealed partial class [|B|] { }
            [AtomicStore("c.jsonl")] public sealed partial class [|C|] : List<int> { public C(int capacity) : base(capacity) { } }
            public sealed partial class [|D|] : List<int>, ICollection<string>
            {
                int ICollection<string>.Count => 0;
                bool ICollection<string>.IsReadOnly => false;
                void ICollection<string>.Add(string item) { }
                void ICollection<string>.Clear() { }
                bool ICollection<string>.Contains(string item) => false;
                void ICollection<string>.CopyTo(string[] array, int arrayIndex) { }
                bool ICollection<string>.Remove(string item) => false;
                IEnumerator<string> IEnumerable<string>.GetEnumerator() { yield break; }
            }
            [AtomicStore("e.jsonl")] public partial struct [|E|] { }
            """.Replace("public sealed partial class [|D|]", "[AtomicStore(\"d.jsonl\")] public sealed partial class [|D|]", StringComparison.Ordinal), "DRS006", "DRS008", "DRS023");
        Assert.Contains("its file 'a.jsonl' is named so", Message(diagnostics[0]), StringComparison.Ordinal);
        Assert.Contains("it implements no ICollection<T>", Message(diagnostics[0]), StringComparison.Ordinal);
        Assert.Contains("Format says so", Message(diagnostics[1]), StringComparison.Ordinal);
        Assert.Contains("no public parameterless constructor", Message(diagnostics[2]), StringComparison.Ordinal);
        Assert.Contains("more than one record type", Message(diagnostics[3]), StringComparison.Ordinal);
        Assert.Contains("implements no ICollection<T>", Message(diagnostics[4]), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS018_Append_or_Read_on_a_JSON_document_store()
    {
        Diagnostic[] diagnostics = [.. Harness.Analyze(Usings + """
            [AtomicStore("tracker.json", JsonContext = typeof(Ctx))] public sealed partial class Tracker : List<string> { }
            [JsonSerializable(typeof(Tracker))] internal sealed partial class Ctx : JsonSerializerContext { }
            public static class Use
            {
                public static void Run(string dir)
                {
                    Tracker.Append(dir, "x");
                    Tracker.Store.Append(dir, "y");
                    foreach (string s in Tracker.Read(dir)) { }
                }
            }
            """).Where(d => d.Id == "DRS018")];
        Assert.Equal(3, diagnostics.Length);
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Error, d.Severity));
        Assert.Equal(
            "'Append' needs a JSON Lines store, and 'Tracker' keeps one JSON document in 'tracker.json'; name its file *.jsonl or set Format = StoreFormat.JsonLines (its type must then be a collection), or load, change and save the whole document",
            Message(diagnostics[0]));
        Assert.Contains("'Read' needs", Message(diagnostics[2]), StringComparison.Ordinal);
    }

    [Fact]
    public void DRS018_is_not_reported_for_other_types_Append_methods()
    {
        Harness.VerifyClean(Usings + """
            public static class Use
            {
                public static void Run(System.Text.StringBuilder b, string dir) { b.Append(dir); System.IO.File.AppendAllText(dir, "x"); }
            }
            """);
    }

    [Fact]
    public void DRS019_option_of_the_other_format()
    {
        var diagnostics = Harness.Verify("DRS019", Usings + """
            [AtomicStore("a.json", [|FinalNewline = false|])] public sealed partial class A { }
            [AtomicStore("b.jsonl", [|WriteIndented = true|])] public sealed partial class B : List<int> { }
            """, "DRS006");
        Assert.Equal(DiagnosticSeverity.Warning, diagnostics[0].Severity);
        Assert.Equal("FinalNewline has no effect on store 'A', which keeps one JSON document; remove it", Message(diagnostics[0]));
        Assert.Equal("WriteIndented has no effect on store 'B', which writes one record per line; remove it", Message(diagnostics[1]));
    }

    [Fact]
    public void DRS011_undefined_format()
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS011", Usings + """
            [AtomicStore("a.json", Format = [|(StoreFormat)9|])] public sealed partial class A { }
            """, "DRS006"));
        Assert.Equal("Format of store 'A' is 9, which is not a StoreFormat value; use StoreFormat.Auto or StoreFormat.Json or StoreFormat.JsonLines", Message(d));
    }

    [Fact]
    public void DRS011_undefined_style_and_indent_out_of_range()
    {
        var diagnostics = Harness.Verify("DRS011", Usings + """
            [AtomicStore("a.json", Style = [|(JsonStyle)7|])] public sealed partial class A { }
            [AtomicStore("b.json", Style = JsonStyle.JavaScript, Indent = [|11|])] public sealed partial class B { }
            [AtomicStore("c.json", Style = JsonStyle.JavaScript, Indent = [|-1|])] public sealed partial class C { }
            """, "DRS006");
        Assert.Equal("Style of store 'A' is 7, which is not a JsonStyle value; use JsonStyle.SystemTextJson or JsonStyle.JavaScript or JsonStyle.JavaScriptRecordPerLine", Message(diagnostics[0]));
        Assert.Equal("Indent of store 'B' is 11; JSON.stringify indents by 0 to 10 spaces", Message(diagnostics[1]));
    }

    [Fact]
    public void DRS019_indent_without_the_JavaScript_style_and_WriteIndented_with_it()
    {
        var diagnostics = Harness.Verify("DRS019", Usings + """
            [AtomicStore("a.json", [|Indent = 4|])] public sealed partial class A { }
            [AtomicStore("b.json", Style = JsonStyle.JavaScript, [|WriteIndented = true|])] public sealed partial class B { }
            [AtomicStore("c.json", Style = JsonStyle.JavaScriptRecordPerLine, [|Indent = 4|])] public sealed partial class C : List<int> { }
            [AtomicStore("d.json", Style = JsonStyle.JavaScript, Indent = 4)] public sealed partial class D { }
            """, "DRS006");
        Assert.Equal("Indent has no effect on store 'A', which does not use Style = JsonStyle.JavaScript; remove it", Message(diagnostics[0]));
    }

    [Fact]
    public void A_store_that_breaks_a_format_rule_gets_no_members_rather_than_wrong_ones()
    {
        Compilation output = Harness.Generate(Harness.CreateCompilation([Usings + """[AtomicStore("a.jsonl")] public sealed partial class A { }"""]));
        Assert.DoesNotContain(output.SyntaxTrees, t => t.FilePath.EndsWith("Demo.A.AtomicStore.g.cs", StringComparison.Ordinal));
    }
}
