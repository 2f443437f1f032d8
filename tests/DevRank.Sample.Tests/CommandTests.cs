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
        // (JavaScript's key order: the integer-like key first, as JSON.stringify writes it.)
        Assert.Equal(["583231", "torvalds", "李小龙", "emoji-fan", "minimal", "NewUser"], Tracker.Load(data.Path).Keys);

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

        List<ImportRow> rows = ImportCommand.Run(from.Path, data.Path, force: true);

        Assert.IsType<StoreCorruptException>(rows.Single(r => r.Store == "users.json").Error);
        Assert.IsType<StoreCorruptException>(rows.Single(r => r.Store == "tracker.json").Error);
        Assert.Contains("NUL", rows.Single(r => r.Store == "threshold.json").Error!.Message, StringComparison.Ordinal);
        Assert.True(rows.Single(r => r.Store == "visited.json").Ok);
        Assert.False(File.Exists(data.File("users.json")));
        Assert.False(File.Exists(data.File("tracker.json")));
        Assert.False(File.Exists(data.File("threshold.json")));
        Assert.Equal(["repo:a/b"], Visited.Load(data.Path));
        Assert.Equal(["keep-me"], Visited.Store.RestoreBackup(data.Path));
    }

    [Fact]
    public void Import_into_a_folder_that_is_not_empty_is_refused_and_changes_nothing()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        foreach ((string name, string json) in DevRankFolder)
        {
            File.WriteAllText(from.File(name), json, new UTF8Encoding(false));
        }

        new Users { new UserRecord { Login = "existing", TotalContributions = 1 } }.Save(data.Path);
        File.WriteAllText(data.File("notes.txt"), "mine");
        Dictionary<string, byte[]> before = Snapshot(data.Path);

        UsageException refused = Assert.Throws<UsageException>(() => ImportCommand.Run(from.Path, data.Path));

        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Contains(data.Path, refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(before, Snapshot(data.Path), strict: true);
    }

    [Fact]
    public void Import_with_force_keeps_each_file_it_replaces_as_the_runtimes_backup()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        foreach ((string name, string json) in DevRankFolder)
        {
            File.WriteAllText(from.File(name), json, new UTF8Encoding(false));
        }

        new Users { new UserRecord { Login = "existing", TotalContributions = 1 } }.Save(data.Path);
        new Visited { "repo:mine/only" }.Save(data.Path);
        File.WriteAllText(data.File("notes.txt"), "mine");
        byte[] oldUsers = File.ReadAllBytes(data.File("users.json"));
        byte[] oldVisited = File.ReadAllBytes(data.File("visited.json"));

        List<ImportRow> rows = ImportCommand.Run(from.Path, data.Path, force: true);

        Assert.All(rows, r => Assert.True(r.Ok, r.Error?.Message));
        Assert.Equal(4, Users.Load(data.Path).Count);
        Assert.Equal(oldUsers, File.ReadAllBytes(data.File("users.json.bak")));
        Assert.Equal(oldVisited, File.ReadAllBytes(data.File("visited.json.bak")));
        Assert.False(File.Exists(data.File("tracker.json.bak"))); // nothing was there to replace
        Assert.Equal("mine", File.ReadAllText(data.File("notes.txt")));
        Assert.Equal(["users.json.bak", "visited.json.bak"], InspectCommand.Run(data.Path).Backups);
        // The runtime's own backup: the store restores it.
        Assert.Equal(["existing"], Users.Store.RestoreBackup(data.Path).Select(u => u.Login));
    }

    [Fact]
    public void Crash_demo_refuses_a_data_folder_it_did_not_make_and_changes_nothing()
    {
        using var data = new TempFolder();
        new Visited { "repo:a/b" }.Save(data.Path); // a real DevRank folder: the old check let the demo delete it
        new Users { new UserRecord { Login = "existing", TotalContributions = 1 } }.Save(data.Path);
        Dictionary<string, byte[]> before = Snapshot(data.Path);

        UsageException refused = Assert.Throws<UsageException>(() => CrashDemo.PrepareFolder(data.Path, ownByDefault: false, force: false));

        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Equivalent(before, Snapshot(data.Path), strict: true);
    }

    [Fact]
    public void Crash_demo_with_force_moves_a_folder_it_did_not_make_aside_whole()
    {
        using var parent = new TempFolder();
        string data = parent.File("data");
        Directory.CreateDirectory(Path.Combine(data, "sub"));
        new Visited { "repo:a/b" }.Save(data);
        File.WriteAllText(Path.Combine(data, "sub", "notes.txt"), "mine");
        Dictionary<string, byte[]> before = Snapshot(data);

        string? movedTo = CrashDemo.PrepareFolder(data, ownByDefault: false, force: true);

        Assert.Equal(data + ".bak", movedTo);
        Assert.Equivalent(before, Snapshot(movedTo!), strict: true);
        Assert.Equal([CrashDemo.MarkerFileName], Snapshot(data).Keys);

        // A second --force on a folder that is again not the demo's would have nowhere to go: refused, nothing changed.
        File.Delete(Path.Combine(data, CrashDemo.MarkerFileName));
        File.WriteAllText(Path.Combine(data, "other.txt"), "again");
        Assert.Throws<UsageException>(() => CrashDemo.PrepareFolder(data, ownByDefault: false, force: true));
        Assert.Equal("again", File.ReadAllText(Path.Combine(data, "other.txt")));
        Assert.Equivalent(before, Snapshot(movedTo!), strict: true);
    }

    [Theory]
    [InlineData("marked by its file", false)]
    [InlineData("the default folder", true)]
    public void Crash_demo_empties_a_folder_of_its_own(string which, bool byDefault)
    {
        using var data = new TempFolder();
        if (!byDefault)
        {
            File.WriteAllText(data.File(CrashDemo.MarkerFileName), "");
        }

        new Visited { "repo:a/b" }.Save(data.Path);

        Assert.True(CrashDemo.PrepareFolder(data.Path, ownByDefault: byDefault, force: false) is null, which);

        Assert.Equal([CrashDemo.MarkerFileName], Snapshot(data.Path).Keys);
        Assert.False(Directory.Exists(data.Path + ".bak"));
    }

    /// <summary>Every file under a folder, by path relative to it, with its bytes.</summary>
    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(path => Path.GetRelativePath(folder, path), File.ReadAllBytes);

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
    public void Inspect_lists_a_DevIndex_folders_own_files_and_the_appended_history()
    {
        using var data = new TempFolder();
        UsersJsonl.Append(data.Path, new UserRecord { Login = "a", TotalContributions = 1 });
        new OptInSync { LastCheck = IsoTimestamp.Parse("2026-03-29T09:23:20Z") }.Save(data.Path);
        History.Append(data.Path, new BatchRecord { Run = "r", Batch = 1, At = IsoTimestamp.Parse("2026-03-29T09:23:20Z"), Updated = 1 });
        History.Append(data.Path, new BatchRecord { Run = "r", Batch = 2, At = IsoTimestamp.Parse("2026-03-29T09:23:21Z"), Updated = 1 });

        InspectReport report = InspectCommand.Run(data.Path);

        Assert.Equal("1 users", report.Stores.Single(s => s.FileName == "users.jsonl").Entries);
        Assert.DoesNotContain(report.Stores, s => s.FileName == "users.json");
        Assert.Equal("lastCheck = 2026-03-29T09:23:20Z", report.Stores.Single(s => s.FileName == "optin-sync.json").Entries);
        Assert.False(report.Stores.Single(s => s.FileName == "failed.json").Exists);
        Assert.Equal("2 batches", report.Stores.Single(s => s.FileName == "history.jsonl").Entries);
    }

    [Fact]
    public void A_folder_with_both_users_files_is_refused_rather_than_guessed()
    {
        using var data = new TempFolder();
        new Users().Save(data.Path);
        new UsersJsonl().Save(data.Path);
        Assert.Throws<UsageException>(() => Layout.Detect(data.Path));
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
