using DevRank.Sample.Job;
using DevRank.Sample.Source;
using DevRank.Sample.Stores;
using DevRank.Testing;

namespace DevRank.Sample.Tests;

public sealed class JobTests
{
    private static JobOptions Small(string dir) => new() { DataDir = dir, WorldUsers = 1200, MaxUsers = 300, Batch = 50, RepoBatch = 40 };

    [Fact]
    public void A_default_run_leaves_stores_that_keep_every_invariant()
    {
        using var folder = new TempFolder();
        JobResult result = new DevRankJob(Small(folder.Path)).Run();

        Assert.Empty(Invariants.Check(folder.Path, 300));
        Users users = Users.Load(folder.Path);
        Tracker tracker = Tracker.Load(folder.Path);
        Assert.Equal(300, users.Count);
        Assert.Equal(users.Count, result.Users);
        Assert.True(result.UsersPruned > 0, "the world is bigger than the cap, so the run prunes");
        Assert.True(Threshold.Load(folder.Path).Tc >= users[^1].TotalContributions);
        Assert.All(tracker.Values, t => Assert.NotNull(t));
        Assert.Equal(600, Visited.Load(folder.Path).Count);
        Assert.Equal(result.Visited, Visited.Load(folder.Path).Count);

        // The default blocklist holds the world's bots, which contribute to many repositories: none got in.
        Assert.Equal(World.Bots, Blocklist.Load(folder.Path));
        Assert.DoesNotContain(tracker.Keys, k => k.EndsWith("[bot]", StringComparison.OrdinalIgnoreCase));
        Assert.True(result.Saves > 0 && result.BytesWritten > 0 && result.SaveTime > TimeSpan.Zero);
    }

    [Fact]
    public void A_second_run_resumes_and_redoes_nothing()
    {
        using var folder = new TempFolder();
        new DevRankJob(Small(folder.Path)).Run();
        string[] names = ["users.json", "tracker.json", "visited.json", "threshold.json", "blocklist.json"];
        byte[][] before = [.. names.Select(n => File.ReadAllBytes(folder.File(n)))];

        JobResult again = new DevRankJob(Small(folder.Path)).Run();

        Assert.Equal(0, again.ReposVisited);
        Assert.Equal(0, again.UsersUpdated);
        Assert.Equal(0, again.Saves);
        for (int i = 0; i < names.Length; i++)
        {
            Assert.True(before[i].AsSpan().SequenceEqual(File.ReadAllBytes(folder.File(names[i]))), names[i] + " changed");
        }
    }

    [Fact]
    public void A_run_stopped_midway_is_finished_by_the_next_without_redoing_acknowledged_work()
    {
        using var folder = new TempFolder();
        var first = new Recorder(stopAfterUsers: 230);
        Assert.Throws<StopException>(() => new DevRankJob(Small(folder.Path)).Run(first));
        Assert.NotEmpty(first.Users);

        var second = new Recorder(stopAfterUsers: int.MaxValue);
        JobResult result = new DevRankJob(Small(folder.Path)).Run(second);

        Assert.Empty(first.Users.Intersect(second.Users, StringComparer.OrdinalIgnoreCase));
        Assert.Empty(first.Repos.Intersect(second.Repos));
        Assert.Equal(0, result.Pending);
        Assert.Empty(Invariants.Check(folder.Path, 300));

        // The two runs together did exactly what one uninterrupted run does.
        using var reference = new TempFolder();
        var whole = new Recorder(stopAfterUsers: int.MaxValue);
        new DevRankJob(Small(reference.Path)).Run(whole);
        Assert.Equal(whole.Users.Order(StringComparer.OrdinalIgnoreCase), first.Users.Concat(second.Users).Order(StringComparer.OrdinalIgnoreCase));
        Assert.Equal(
            Users.Load(reference.Path).Select(u => (u.Login, u.TotalContributions)),
            Users.Load(folder.Path).Select(u => (u.Login, u.TotalContributions)));
    }

    [Fact]
    public void The_block_and_allow_lists_are_honoured()
    {
        using var folder = new TempFolder();
        var world = new World(42, 1200);
        // A heavy contributor to block, and two logins to allow: one the spider never finds.
        string blocked = world.Contributors(0)[0];
        new Blocklist { "dependabot[bot]", blocked.ToUpperInvariant() }.Save(folder.Path);
        new Allowlist { "someone-outside" }.Save(folder.Path);

        new DevRankJob(Small(folder.Path) with { MaxUsers = 50 }).Run();

        Users users = Users.Load(folder.Path);
        Tracker tracker = Tracker.Load(folder.Path);
        Assert.DoesNotContain(users, u => string.Equals(u.Login, blocked, StringComparison.OrdinalIgnoreCase));
        Assert.False(tracker.ContainsKey(blocked));
        Assert.NotNull(tracker["SOMEONE-OUTSIDE"]);
        // Allowlisted users are never pruned, even below the bar.
        UserRecord allowed = Assert.Single(users, u => u.Login == "someone-outside");
        Assert.Equal(50, users.Count);
        Assert.Empty(Invariants.Check(folder.Path, 50));
        _ = allowed;

        // A login blocked later is removed from every store by the next run.
        string victim = users[0].Login;
        Blocklist.Update(folder.Path, b => b.Add(victim));
        JobResult again = new DevRankJob(Small(folder.Path) with { MaxUsers = 50 }).Run();
        Assert.Equal(2, again.BlockedRemoved);
        Assert.Empty(Invariants.Check(folder.Path, 50));
    }

    [Fact]
    public void Logins_are_case_insensitive_and_keep_their_first_spelling()
    {
        using var folder = new TempFolder();
        new Tracker { ["OctoCat"] = null }.Save(folder.Path);
        new Allowlist { "octocat" }.Save(folder.Path);

        new DevRankJob(Small(folder.Path)).Run();

        Tracker tracker = Tracker.Load(folder.Path);
        Assert.Single(tracker.Keys, k => k.Equals("octocat", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("\"OctoCat\": \"", File.ReadAllText(folder.File("tracker.json")), StringComparison.Ordinal);
        Assert.NotNull(tracker["OCTOCAT"]);
    }

    private sealed class StopException : Exception;

    /// <summary>Collects acknowledgements; throws (like a crash right after a save) once enough users are acknowledged.</summary>
    private sealed class Recorder(int stopAfterUsers) : IJobObserver
    {
        public List<string> Users { get; } = [];
        public List<string> Repos { get; } = [];

        public void PhaseStarted(JobPhase phase, int total) { }

        public void Advanced(JobPhase phase, int done)
        {
            if (Users.Count >= stopAfterUsers)
            {
                throw new StopException();
            }
        }

        public void Acknowledged(string line)
        {
            string[] parts = line.Split(' ');
            (parts[0] == "user" ? Users : Repos).Add(parts[1]);
        }
    }
}
