using System.Text;
using DevRank.AtomicStore;
using DevRank.Sample.Stores;
using DevRank.Testing;

namespace DevRank.Sample.Tests;

public sealed class FormatTests
{
    internal const string Bio = "全栈工程师 🚀 「オープンソース」\r\nSecond line — with \"quotes\" and a tab\t.";

    [Fact]
    public void Users_are_written_one_compact_record_per_line()
    {
        using var folder = new TempFolder();
        new Users
        {
            new() { Login = "a", TotalContributions = 9, Bio = Bio },
            new() { Login = "b", TotalContributions = 3 },
        }.Save(folder.Path);

        string text = File.ReadAllText(folder.File("users.json"));
        string[] lines = text.Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("[", lines[0]);
        Assert.StartsWith("{\"l\":\"a\",\"tc\":9,\"b\":", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("},", lines[1], StringComparison.Ordinal);
        Assert.Equal("{\"l\":\"b\",\"tc\":3}", lines[2]);
        Assert.Equal("]", lines[3]);
        // "[\n" + [].join(",\n") + "\n]": DevRank's own code writes an empty list so.
        Assert.Equal("[\n\n]", Save(new Users()));
    }

    [Fact]
    public void Unicode_bios_unknown_fields_and_every_field_survive_a_round_trip()
    {
        const string json = "[\n"
            + "{\"l\":\"Li-Wei\",\"tc\":1234,\"fy\":2019,\"lu\":\"2024-05-01T12:00:00.5Z\",\"y\":[1,2,3,4,5,6],\"cy\":[0,1,2,3,4,5],\"n\":\"李伟 🐉\",\"i\":42,\"lc\":\"北京\",\"cc\":\"cn\",\"c\":\"@acme\",\"b\":\"全栈工程师 🚀\\r\\n第二行\",\"fl\":7,\"o\":[[\"rust-lang\",5430905],[\"old-org\",null]],\"li\":\"https://linkedin.com/in/x\",\"zz\":{\"future\":[1,\"two\",null]},\"score\":1.5}\n"
            + "]";
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("users.json"), json, new UTF8Encoding(false));

        Users users = Users.Load(folder.Path);
        UserRecord user = Assert.Single(users);
        Assert.Equal("全栈工程师 🚀\r\n第二行", user.Bio);
        Assert.Equal(new Organisation("old-org", null), user.Organisations![1]);
        Assert.Equal(["zz", "score"], user.Unknown!.Keys);

        users.Save(folder.Path);
        string saved = File.ReadAllText(folder.File("users.json"));
        // DevRank's bytes back: raw UTF-8, JavaScript's escapes, "lu" as it was read, unknown fields after known ones.
        Assert.Equal(json, saved);
    }

    [Fact]
    public void A_user_without_login_or_total_is_a_typed_error_with_its_position()
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("users.json"), "[\n{\"l\":\"a\",\"tc\":1},\n{\"l\":\"b\"}\n]");
        var ex = Assert.Throws<StoreCorruptException>(() => Users.Load(folder.Path));
        Assert.Contains("tc", ex.Message, StringComparison.Ordinal);

        File.WriteAllText(folder.File("users.json"), "{\"l\":\"a\",\"tc\":1}");
        Assert.Throws<StoreCorruptException>(() => Users.Load(folder.Path));
    }

    [Fact]
    public void Tracker_keeps_nulls_spelling_and_times()
    {
        using var folder = new TempFolder();
        var tracker = new Tracker { ["OctoCat"] = null, ["12345"] = new DateTimeOffset(2024, 1, 2, 3, 4, 5, 678, TimeSpan.Zero) };
        tracker.Save(folder.Path);
        // JSON.stringify(tracker, null, 2): JavaScript puts integer-like keys first.
        Assert.Equal("{\n  \"12345\": \"2024-01-02T03:04:05.678Z\",\n  \"OctoCat\": null\n}", File.ReadAllText(folder.File("tracker.json")));
        Assert.True(Tracker.Load(folder.Path).ContainsKey("octocat"));
    }

    [Fact]
    public void A_users_file_over_one_mebibyte_loads()
    {
        // Over the runtime's whole-read limit the file is streamed; CJK and emoji, raw UTF-8, in every record.
        using var folder = new TempFolder();
        var users = new Users();
        for (int i = 0; i < 12000; i++)
        {
            users.Add(new UserRecord { Login = "user" + i, TotalContributions = 10_000 - i, Bio = Bio, Name = "山田太郎 " + i });
        }

        users.Save(folder.Path);
        Assert.True(new FileInfo(folder.File("users.json")).Length > 1 << 20);
        Assert.Equal(12000, Users.Load(folder.Path).Count);
    }

    [Fact]
    public void A_raw_utf8_users_file_over_one_mebibyte_loads()
    {
        using var folder = new TempFolder();
        var text = new StringBuilder("[\n");
        for (int i = 0; i < 16000; i++)
        {
            text.Append("{\"l\":\"u").Append(i).Append("\",\"tc\":1,\"b\":\"全栈工程师 🚀 山田太郎 全栈工程师 🚀 山田太郎 全栈工程师 🚀 山田太郎\"}").Append(i < 15999 ? ",\n" : "\n");
        }

        File.WriteAllText(folder.File("users.json"), text.Append(']').ToString(), new UTF8Encoding(false));
        Assert.True(new FileInfo(folder.File("users.json")).Length > 1 << 20);
        Assert.Equal(16000, Users.Load(folder.Path).Count);
    }

    private static string Save(Users users)
    {
        using var folder = new TempFolder();
        users.Save(folder.Path);
        return File.ReadAllText(folder.File("users.json"));
    }
}
