namespace DevRank.Generators.Tests;

/// <summary>
/// Consumer sources, one per store shape the generator supports. Snapshot tests show what each one gets; the
/// compile test builds each one, with the real System.Text.Json generator, and expects no warning at all.
/// </summary>
internal static class Shapes
{
    public const string RecordWithPrimaryConstructorAndContext = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("settings.json", JsonContext = typeof(DemoJson))]
        public sealed partial record Settings(string Theme, int Volume)
        {
            public Settings() : this("light", 5) { }
        }

        [JsonSerializable(typeof(Settings))]
        public partial class DemoJson : JsonSerializerContext { }
        """;

    public const string ClassWithoutContext = """
        using System.Collections.Generic;
        using DevRank.AtomicStore;

        namespace Demo
        {
            [AtomicStore("notes.json")]
            public partial class Notes
            {
                public List<string> Items { get; set; } = [];
            }
        }
        """;

    public const string Struct = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("counter.json", JsonContext = typeof(DemoJson))]
        public partial struct Counter
        {
            public int Value { get; set; }
        }

        [JsonSerializable(typeof(Counter))]
        internal partial class DemoJson : JsonSerializerContext { }
        """;

    public const string RecordStruct = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("point.json", JsonContext = typeof(DemoJson))]
        public readonly partial record struct Point(int X, int Y);

        [JsonSerializable(typeof(Point))]
        internal partial class DemoJson : JsonSerializerContext { }
        """;

    public const string FileScopedNamespace = """
        using DevRank.AtomicStore;

        namespace Demo.App.Data;

        [AtomicStore("state.json")]
        public sealed partial class State
        {
            public int Version { get; set; }
        }
        """;

    public const string BlockNamespaces = """
        using DevRank.AtomicStore;

        namespace Demo
        {
            namespace Inner
            {
                [AtomicStore("block.json")]
                public sealed partial class Block
                {
                    public string? Name { get; set; }
                }
            }
        }
        """;

    public const string GlobalNamespace = """
        using DevRank.AtomicStore;

        [AtomicStore("global.json")]
        public sealed partial class GlobalState
        {
            public bool Ready { get; set; }
        }
        """;

    public const string NestedInPartialTypes = """
        using DevRank.AtomicStore;

        namespace Demo;

        public static partial class Outer
        {
            public partial record struct Middle
            {
                [AtomicStore("nested.json")]
                public sealed partial class Inner
                {
                    public int Depth { get; set; } = 2;
                }
            }
        }
        """;

    public const string InternalType = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("cache.json", JsonContext = typeof(CacheJson))]
        internal sealed partial class Cache
        {
            public Dictionary<string, string> Entries { get; set; } = [];
        }

        [JsonSerializable(typeof(Cache))]
        internal partial class CacheJson : JsonSerializerContext { }
        """;

    public const string NonDefaultOptions = """
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("scratch.json", WriteIndented = true, Durability = Durability.AtomicOnly, LockTimeoutMilliseconds = 5000)]
        public sealed partial class Scratch
        {
            public string Text { get; set; } = "";
        }
        """;

    public const string NonDefaultOptionsWithContext = """
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("log.json", JsonContext = typeof(DemoJson), Durability = Durability.AtomicOnly, KeepBackup = true, LockTimeoutMilliseconds = 250)]
        public sealed partial record Log(string[] Lines)
        {
            public Log() : this([]) { }
        }

        [JsonSerializable(typeof(Log))]
        public partial class DemoJson : JsonSerializerContext { }
        """;

    public const string DefaultOptionsSpelledOut = """
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("plain.json", JsonContext = null, WriteIndented = false, Durability = Durability.Durable, LockTimeoutMilliseconds = 30_000)]
        public sealed partial class Plain
        {
            public int N { get; set; }
        }
        """;

    public const string SubFolderFileName = """
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("state/users.json")]
        public sealed partial class Users
        {
            public string[] Logins { get; set; } = [];
        }
        """;

    public const string ListRoot = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        // visited.json: ["repo:a/b", ...]
        [AtomicStore("visited.json", JsonContext = typeof(DemoJson))]
        public sealed partial class Visited : List<string> { }

        [JsonSerializable(typeof(Visited))]
        public partial class DemoJson : JsonSerializerContext { }
        """;

    public const string MapRoot = """
        using System;
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        // tracker.json: {"login": "2024-01-01T00:00:00Z" | null}
        [AtomicStore("tracker.json", JsonContext = typeof(DemoJson))]
        public sealed partial class Tracker : Dictionary<string, DateTimeOffset?>
        {
            public Tracker() : base(StringComparer.OrdinalIgnoreCase) { }
        }

        [JsonSerializable(typeof(Tracker))]
        public partial class DemoJson : JsonSerializerContext { }
        """;

    public const string RequiredMembers = """
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("account.json")]
        public sealed partial class Account
        {
            public required string Login { get; init; }

            public int Stars { get; set; }
        }
        """;

    public const string RequiredMembersSetByConstructor = """
        using System.Diagnostics.CodeAnalysis;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("profile.json")]
        public sealed partial class Profile
        {
            [SetsRequiredMembers]
            public Profile() => Name = "anonymous";

            public required string Name { get; init; }
        }
        """;

    public const string NoParameterlessConstructor = """
        using System;
        using DevRank.AtomicStore;

        namespace Demo;

        [AtomicStore("snapshot.json")]
        public sealed partial record Snapshot(DateTimeOffset Taken, int Count);
        """;

    public const string UnsealedRecordWithParameterlessConstructor = """
        using DevRank.AtomicStore;

        [AtomicStore("x.json")]
        public partial record X(int N)
        {
            public X() : this(0) { }
        }
        """;

    public const string KeywordNames = """
        using DevRank.AtomicStore;

        namespace Demo.@event;

        [AtomicStore("keyword.json")]
        public sealed partial class @class
        {
            public int @int { get; set; }
        }
        """;

    public const string JsonLinesWithContext = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        // users.jsonl: one record per line, appended to as users are found.
        [AtomicStore("users.jsonl", JsonContext = typeof(DemoJson))]
        public sealed partial class Users : List<User> { }

        public sealed record User(string Login, int Stars);

        [JsonSerializable(typeof(Users))]
        public partial class DemoJson : JsonSerializerContext { }
        """;

    public const string JsonLinesByReflectionWithOptions = """
        using System.Collections.Generic;
        using DevRank.AtomicStore;

        namespace Demo;

        // Records joined by newlines with none after the last, as DevIndex writes them; a nullable record type.
        [AtomicStore("log/failures.ndjson", FinalNewline = false, KeepBackup = true, LockTimeoutMilliseconds = 5000)]
        public sealed partial class Failures : List<string?> { }
        """;

    public const string JsonLinesByFormatOption = """
        using System.Collections.ObjectModel;
        using DevRank.AtomicStore;

        namespace Demo;

        // Any name: the format option decides. A Collection<T> with an int record type.
        [AtomicStore("history.log", Format = StoreFormat.JsonLines, Durability = Durability.AtomicOnly)]
        public sealed partial class History : Collection<int> { }
        """;

    public const string JavaScriptStyles = """
        using System.Collections.Generic;
        using System.Text.Json.Serialization;
        using DevRank.AtomicStore;

        namespace Demo;

        // tracker.json as DevRank writes it: JSON.stringify(tracker, null, 2).
        [AtomicStore("tracker.json", JsonContext = typeof(DemoJson), Style = JsonStyle.JavaScript)]
        public sealed partial class Tracker : Dictionary<string, IsoTimestamp?> { }

        [JsonSerializable(typeof(Tracker))]
        public partial class DemoJson : JsonSerializerContext { }
        """;

    public const string JavaScriptRecordPerLineAndIndent = """
        using System.Collections.Generic;
        using DevRank.AtomicStore;

        namespace Demo;

        // users.json as DevRank writes it: one compact record per line.
        [AtomicStore("users.json", Style = JsonStyle.JavaScriptRecordPerLine)]
        public sealed partial class Users : List<User> { }

        public sealed record User(string Login, int Stars);

        [AtomicStore("settings.json", Style = JsonStyle.JavaScript, Indent = 4)]
        public sealed partial class Settings { public int Port { get; set; } }
        """;

    public static TheoryData<string> All { get; } = new(typeof(Shapes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => field.Name));

    public static string Get(string name) => (string)typeof(Shapes).GetField(name)!.GetRawConstantValue()!;
}
