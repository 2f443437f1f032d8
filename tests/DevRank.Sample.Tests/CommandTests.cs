using System.Text;
using DevRank.AtomicStore;
using DevRank.Sample.Commands;
using DevRank.Sample.Stores;
using DevRank.Testing;

namespace DevRank.Sample.Tests;

public sealed class CommandTests
{
    /// <summary>A hand-made folder in DevRank's formats, with the legacy list names, raw UTF-8 and odd spacing.</summary>
    internal static readonly Dictionary<string, string> DevRankFolder = new()
    {
        ["users.json"] = "[\n"
            + "{\"l\":\"torvalds\",\"tc\":9000,\"fy\":2011,\"lu\":\"2024-05-01T12:00:00.000Z\",\"y\":[100,200],\"cy\":[50,60],\"n\":\"Linus Torvalds\",\"i\":1024025,\"lc\":\"Portland, OR\",\"cc\":\"us\",\"c\":\"Linux Foundation\",\"fl\":200000,\"o\":[[\"torvalds-org\",1]]},\n"
            + "{\"l\":\"李小龙\",\"tc\":4000,\"n\":\"李小龙 🐉\",\"b\":\"全栈工程师 🚀\\r\\nオープンソース\",\"lu\":\"2024-05-02T08:30:00+00:00\",\"x-new-field\":{\"a\":[1,2]}},\n"
            + "{\"l\":\"emoji-fan\",\"tc\":12,\"b\":\"😀😃😄 \\\"quoted\\\" \\u0007 bell\",\"li\":\"https://www.linkedin.com/in/emoji\"},\n"
            + "{\"l\":\"minimal\",\"tc\":0}\n"
            + "]",
        ["tracker.json"] = "{\"torvalds\": \"2024-05-01T12:00:00.000Z\", \"李小龙\": \"2024-05-02T08:30:00Z\", \"emoji-fan\": \"2024-05-03T00:00:00Z\", \"minimal\": \"2024-05-03T00:00:00Z\", \"583231\": null, \"NewUser\": null}",
        ["visited.json"] = "[\"repo:torvalds/linux\", \"user:torvalds\", \"repo:dotnet/runtime\"]",
        ["blacklist.json"] = "[\"spammer\", \"dependabot[bot]\"]",
        ["whitelist.json"] = "[\"minimal\"]",
        ["threshold.json"] = "{\"tc\": 12}",
    };

    [Fact]
    public void Import_round_trips_a_DevRank_folder_with_the_same_content()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        foreach ((string name, string json) in DevRankFolder)
        {
            File.WriteAllText(from.File(name), json, new UTF8Encoding(false));
        }

        List<ImportRow> rows = ImportCommand.Run(from.Path, data.Path);

        Assert.All(rows, r => Assert.True(r.Ok, r.Error?.Message));
        Assert.Equal(6, rows.Count);
        Assert.Equal(4, rows.Single(r => r.Store == "users.json").Entries);
        Assert.Equal(["blacklist.json"], rows.Single(r => r.Store == "blocklist.json").Sources);
        foreach ((string name, string json) in DevRankFolder)
        {
            string stored = name switch { "blacklist.json" => "blocklist.json", "whitelist.json" => "allowlist.json", _ => name };
            JsonAssert.Equivalent(json, File.ReadAllText(data.File(stored)));
        }

        // Same order of users, and the tracker keeps its keys in order and spelling.
        Assert.Equal(["torvalds", "李小龙", "emoji-fan", "minimal"], Users.Load(data.Path).Select(u => u.Login));
        Assert.Equal(["torvalds", "李小龙", "emoji-fan", "minimal", "583231", "NewUser"], Tracker.Load(data.Path).Keys);

        // The imported folder is a consistent data folder for the job.
        Assert.Empty(Job.Invariants.Check(data.Path, 10));
    }

    [Fact]
    public void Import_rejects_a_bad_file_with_its_typed_error_and_copies_the_rest()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        File.WriteAllText(from.File("users.json"), "[\n{\"l\":\"a\",\"tc\":1},\n{\"l\":\"b\",\"tc\":");
        File.WriteAllText(from.File("tracker.json"), "{\"a\": \"not a time\"}");
        File.WriteAllText(from.File("visited.json"), "[\"repo:a/b\"]");
        File.WriteAllBytes(from.File("threshold.json"), [0, 0, 0, 0]);
        new Visited { "keep-me" }.Save(data.Path);

        List<ImportRow> rows = ImportCommand.Run(from.Path, data.Path);

        Assert.IsType<StoreCorruptException>(rows.Single(r => r.Store == "users.json").Error);
        Assert.IsType<StoreCorruptException>(rows.Single(r => r.Store == "tracker.json").Error);
        Assert.Contains("NUL", rows.Single(r => r.Store == "threshold.json").Error!.Message, StringComparison.Ordinal);
        Assert.True(rows.Single(r => r.Store == "visited.json").Ok);
        Assert.False(File.Exists(data.File("users.json")));
        Assert.False(File.Exists(data.File("tracker.json")));
        Assert.False(File.Exists(data.File("threshold.json")));
        Assert.Equal(["repo:a/b"], Visited.Load(data.Path));
    }

    [Fact]
    public void Import_merges_old_and_new_list_names()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        File.WriteAllText(from.File("blocklist.json"), "[\"a\", \"b\"]");
        File.WriteAllText(from.File("blacklist.json"), "[\"B\", \"c\"]");

        ImportRow row = Assert.Single(ImportCommand.Run(from.Path, data.Path));

        Assert.Equal(3, row.Entries);
        Assert.Equal(["a", "b", "c"], Blocklist.Load(data.Path));
    }

    [Fact]
    public void Inspect_reports_entries_stale_temps_and_backups()
    {
        using var data = new TempFolder();
        new Tracker { ["a"] = null, ["b"] = DateTimeOffset.UnixEpoch }.Save(data.Path);
        File.WriteAllText(data.File(".users.json.0123456789abcdef.tmp"), "[");
        File.WriteAllText(data.File("users.json.bak"), "[]");
        File.WriteAllText(data.File("visited.json"), "{");

        InspectReport report = InspectCommand.Run(data.Path);

        StoreSummary tracker = report.Stores.Single(s => s.FileName == "tracker.json");
        Assert.Equal("2 logins, 1 pending", tracker.Entries);
        Assert.NotNull(report.Stores.Single(s => s.FileName == "visited.json").Error);
        Assert.False(report.Stores.Single(s => s.FileName == "users.json").Exists);
        Assert.Equal([".users.json.0123456789abcdef.tmp"], report.StaleTemps);
        Assert.Equal(["users.json.bak"], report.Backups);
    }

    [Fact]
    public void Inspect_reports_a_data_folder_that_is_a_file_as_an_error_not_as_missing_stores()
    {
        using var dir = new TempFolder();
        string file = dir.File("data");
        File.WriteAllText(file, "not a folder");

        InspectReport report = InspectCommand.Run(file);

        Assert.All(report.Stores, store =>
        {
            Assert.False(store.Exists);
            Assert.Contains("StoreLoadException", store.Error, StringComparison.Ordinal);
            Assert.Contains($"'{file}' is a file, not a folder", store.Error, StringComparison.Ordinal);
        });
    }
}
