using DevRank.Generators.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators.Analyzers.Tests;

/// <summary>DRS007: in-place writes to a path that ends in a store's file name.</summary>
public sealed class NonAtomicWriteTests
{
    private const string Stores = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;
        namespace Demo;
        [AtomicStore("users.json", JsonContext = typeof(DemoJson))] public sealed partial record Users(string[] Names);
        [AtomicStore("state/snapshot.json", JsonContext = typeof(DemoJson))] public sealed partial record Snapshot(int Count);
        [JsonSerializable(typeof(Users))] [JsonSerializable(typeof(Snapshot))] internal sealed partial class DemoJson : JsonSerializerContext { }
        """;

    private static string Writer(string body) => $$"""
        using System.IO;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        namespace Demo;
        public static class Writer
        {
            public static async Task Write(string dir, string json, byte[] bytes, string[] lines, CancellationToken ct)
            {
                {{body}}
                await Task.CompletedTask;
            }
        }
        """;

    [Theory]
    [InlineData("""[|File.WriteAllText("users.json", json)|];""")]
    [InlineData("""[|File.WriteAllText(Path.Combine(dir, "users.json"), json, Encoding.UTF8)|];""")]
    [InlineData("""[|File.WriteAllBytes(Path.Join(dir, "USERS.JSON"), bytes)|];""")]
    [InlineData("""[|File.WriteAllLines($"{dir}/users.json", lines)|];""")]
    [InlineData("""await [|File.WriteAllTextAsync(dir + "/users.json", json, ct)|];""")]
    [InlineData("""await [|File.WriteAllBytesAsync(Path.Combine(dir, Users.FileName), bytes, ct)|];""")]
    [InlineData("""await [|File.WriteAllLinesAsync(Path.Combine(dir, "users.json"), lines, ct)|];""")]
    [InlineData("""[|File.WriteAllText(Users.Store.GetPath(dir), json)|];""")]
    [InlineData("""[|File.WriteAllBytes(Snapshot.Store.GetPath(dir), bytes)|];""")]
    [InlineData("""[|File.Create(Path.Combine(dir, "users.json"))|].Dispose();""")]
    [InlineData("""[|File.OpenWrite(@"C:\data\users.json")|].Dispose();""")]
    [InlineData("""using var s = [|new FileStream(Path.Combine(dir, "users.json"), FileMode.Create)|];""")]
    [InlineData("""using var s = [|new FileStream(Path.Combine(dir, "users.json"), FileMode.Truncate, FileAccess.Write)|];""")]
    [InlineData("""using var s = [|new FileStream(Path.Combine(dir, "users.json"), FileMode.OpenOrCreate)|];""")]
    [InlineData("""using var s = [|new FileStream(Path.Combine(dir, "users.json"), FileMode.Append)|];""")]
    [InlineData("""using var w = [|new StreamWriter(Path.Combine(dir, "users.json"))|];""")]
    [InlineData("""[|File.WriteAllText(Path.Combine(dir, "state", "snapshot.json"), json)|];""")]
    [InlineData("""[|File.WriteAllText(Path.Combine(dir, "snapshot.json"), json)|];""")]
    [InlineData("""[|File.WriteAllText(Path.Combine(dir, @"state\snapshot.json"), json)|];""")]
    public void Reported_on_the_write(string body)
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS007", [Stores, Writer(body)]));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Matches("store '(Users|Snapshot)'", message);
        Assert.Matches(@"use (Users|Snapshot)\.Save or (Users|Snapshot)\.Update", message);
    }

    [Theory]
    [InlineData("""[|File.AppendAllText(Path.Combine(dir, "users.json"), json)|];""")]
    [InlineData("""await [|File.AppendAllLinesAsync(Users.Store.GetPath(dir), lines, ct)|];""")]
    public void An_append_is_told_what_an_append_breaks(string body)
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS007", [Stores, Writer(body)]));
        string message = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("appends to 'users.json', the file of store 'Users', in place and outside the store's lock", message, StringComparison.Ordinal);
        Assert.DoesNotContain("overwrites", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[|File.Copy(Path.Combine(dir, "new.json"), Path.Combine(dir, "users.json"), overwrite: true)|];""", "File.Copy")]
    [InlineData("""[|File.Move(Path.Combine(dir, "new.json"), Users.Store.GetPath(dir), true)|];""", "File.Move")]
    public void A_copy_or_move_over_the_store_file_is_reported(string body, string call)
    {
        Diagnostic d = Assert.Single(Harness.Verify("DRS007", [Stores, Writer(body)]));
        Assert.StartsWith($"'{call}' replaces 'users.json', the file of store 'Users', without the store's lock or fsync", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""File.Copy(Path.Combine(dir, "new.json"), Path.Combine(dir, "users.json"));""")]
    [InlineData("""File.Copy(Path.Combine(dir, "new.json"), Path.Combine(dir, "users.json"), overwrite: false);""")]
    [InlineData("""File.Move(Users.Store.GetPath(dir), Path.Combine(dir, "old.json"), true);""")]
    [InlineData("""File.Copy(Users.Store.GetPath(dir), Path.Combine(dir, "copy.json"), true);""")]
    [InlineData("""File.WriteAllText(Users.Store.GetBackupPath(dir), json);""")]
    public void Copies_that_cannot_replace_the_store_file_are_not_reported(string body) =>
        Assert.DoesNotContain(Harness.Analyze(Stores, Writer(body)), d => d.Id == "DRS007");

    [Theory]
    [InlineData("""File.WriteAllText(Path.Combine(dir, "other.json"), json);""")]
    [InlineData("""File.WriteAllText(Path.Combine(dir, "other", "snapshot.json"), json);""")]
    [InlineData("""File.WriteAllText(Path.Combine("users.json", dir), json);""")]
    [InlineData("""File.WriteAllText(dir, json);""")]
    [InlineData("""File.WriteAllText("users.json.txt", json);""")]
    [InlineData("""_ = File.ReadAllText(Path.Combine(dir, "users.json"));""")]
    [InlineData("""using var s = new FileStream(Path.Combine(dir, "users.json"), FileMode.Open);""")]
    [InlineData("""using var r = new StreamReader(Path.Combine(dir, "users.json"));""")]
    [InlineData("""DevRank.AtomicStore.AtomicFile.WriteAllText(Path.Combine(dir, "users.json"), json);""")]
    public void Not_reported_for_other_files_reads_or_atomic_writes(string body) =>
        Assert.Empty(Harness.Analyze(Stores, Writer(body)));

    [Fact]
    public void Not_reported_without_stores() =>
        Assert.Empty(Harness.Analyze(Writer("""File.WriteAllText("users.json", json);""")));

    [Fact]
    public void Pragma_and_severity_work_because_it_is_an_analyzer_diagnostic()
    {
        string body = "#pragma warning disable DRS007\n" + """File.WriteAllText("users.json", json);""" + "\n#pragma warning restore DRS007";
        Assert.All(Harness.Analyze(Stores, Writer(body)), d => Assert.True(d.IsSuppressed));
    }
}
