using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

public sealed record Profile(string Login, int Contributions, List<string> Orgs);

public sealed class JsonFileStoreTests : IDisposable
{
    private static readonly JsonFileStore<Profile> Profiles = JsonFileStore.CreateWithReflection<Profile>("profile.json");
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Profile Octocat => new("octocat", 42, ["github"]);

    [Fact]
    public void Save_then_Load_round_trips()
    {
        Profiles.Save(_dir.Path, Octocat);

        Profile loaded = Profiles.Load(_dir.Path);

        Assert.Equal(Octocat.Login, loaded.Login);
        Assert.Equal(Octocat.Orgs, loaded.Orgs);
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task SaveAsync_then_LoadAsync_round_trips()
    {
        await Profiles.SaveAsync(_dir.Path, Octocat);

        Profile loaded = await Profiles.LoadAsync(_dir.Path);

        Assert.Equal(42, loaded.Contributions);
    }

    [Fact]
    public void A_missing_file_is_StoreNotFound_for_Load_and_false_for_TryLoad()
    {
        var ex = Assert.Throws<StoreNotFoundException>(() => Profiles.Load(_dir.Path));
        Assert.Equal(Profiles.GetPath(_dir.Path), ex.FilePath);

        Assert.False(Profiles.TryLoad(_dir.Path, out _));
        Assert.Equal("new", Profiles.LoadOrCreate(_dir.Path, () => new Profile("new", 0, [])).Login);
        Assert.False(File.Exists(Profiles.GetPath(_dir.Path)));
    }

    [Fact]
    public async Task A_missing_file_is_StoreNotFound_for_LoadAsync()
    {
        await Assert.ThrowsAsync<StoreNotFoundException>(async () => await Profiles.LoadAsync(_dir.Path));
        Assert.Equal("new", (await Profiles.LoadOrCreateAsync(_dir.Path, () => new Profile("new", 0, []))).Login);
    }

    [Fact]
    public void Save_creates_missing_sub_folders()
    {
        var nested = JsonFileStore.CreateWithReflection<Profile>("state/deeper/profile.json");

        nested.Save(_dir.Path, Octocat);

        Assert.True(File.Exists(Path.Combine(_dir.Path, "state", "deeper", "profile.json")));
        Assert.Equal("octocat", nested.Load(_dir.Path).Login);
    }

    [Fact]
    public void Save_makes_the_folder_again_when_it_was_removed_after_a_save()
    {
        var nested = JsonFileStore.CreateWithReflection<Profile>("state/profile.json");
        nested.Save(_dir.Path, Octocat);
        Directory.Delete(Path.Combine(_dir.Path, "state"), recursive: true);

        nested.Save(_dir.Path, Octocat with { Login = "again" });

        Assert.Equal("again", nested.Load(_dir.Path).Login);
        // Every hidden file, filtered here: Wine's search matches nothing for the pattern ".*".
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(_dir.Path, "state")), f => Path.GetFileName(f).StartsWith('.'));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("/etc/passwd")]
    [InlineData("../outside.json")]
    [InlineData("a/../../outside.json")]
    [InlineData("folder/")]
    public void File_names_that_leave_the_store_folder_are_refused(string fileName)
    {
        Assert.ThrowsAny<ArgumentException>(() => JsonFileStore.CreateWithReflection<Profile>(fileName));
    }

    [Fact]
    public void Update_applies_the_change_under_the_lock_and_returns_what_it_saved()
    {
        Profiles.Save(_dir.Path, Octocat);

        Profile updated = Profiles.Update(_dir.Path, p => p with { Contributions = p.Contributions + 1 });

        Assert.Equal(43, updated.Contributions);
        Assert.Equal(43, Profiles.Load(_dir.Path).Contributions);
    }

    [Fact]
    public void Update_of_a_missing_file_starts_from_create_or_throws_without_it()
    {
        Assert.Throws<StoreNotFoundException>(() => Profiles.Update(_dir.Path, p => p));
        Assert.False(File.Exists(Profiles.GetPath(_dir.Path)));

        Profile created = Profiles.Update(_dir.Path, p => p with { Contributions = 1 }, () => new Profile("x", 0, []));

        Assert.Equal(1, Profiles.Load(_dir.Path).Contributions);
        Assert.Equal(1, created.Contributions);
    }

    [Fact]
    public void Update_with_an_in_place_change_saves_the_mutated_document()
    {
        Profiles.Save(_dir.Path, Octocat);

        Profiles.Update(_dir.Path, p => p.Orgs.Add("dotnet"));

        Assert.Equal(["github", "dotnet"], Profiles.Load(_dir.Path).Orgs);
    }

    [Fact]
    public void A_throwing_change_saves_nothing()
    {
        Profiles.Save(_dir.Path, Octocat);
        byte[] before = File.ReadAllBytes(Profiles.GetPath(_dir.Path));

        Assert.Throws<InvalidOperationException>(() => Profiles.Update(_dir.Path, Profile (_) => throw new InvalidOperationException()));

        Assert.Equal(before, File.ReadAllBytes(Profiles.GetPath(_dir.Path)));
    }

    [Fact]
    public async Task Threads_updating_one_store_never_lose_an_increment()
    {
        var counter = JsonFileStore.CreateWithReflection<Profile>("counter.json");
        counter.Save(_dir.Path, new Profile("c", 0, []));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(async () =>
        {
            for (int i = 0; i < 50; i++)
            {
                if ((i + t) % 2 == 0)
                {
                    counter.Update(_dir.Path, p => p with { Contributions = p.Contributions + 1 });
                }
                else
                {
                    await counter.UpdateAsync(_dir.Path, p => p with { Contributions = p.Contributions + 1 });
                }
            }
        })));

        Assert.Equal(400, counter.Load(_dir.Path).Contributions);
    }

    [Fact]
    public async Task A_burst_of_concurrent_SaveAsync_calls_ends_with_the_newest_state()
    {
        var tasks = new List<Task>();
        for (int i = 1; i <= 64; i++)
        {
            tasks.Add(Profiles.SaveAsync(_dir.Path, new Profile("burst", i, [])));
        }

        await Task.WhenAll(tasks);

        Assert.Equal(64, Profiles.Load(_dir.Path).Contributions);
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void A_failing_save_reaches_every_caller_whose_state_it_carried()
    {
        // A folder where the file should be: the rename fails, and the save must say so.
        Directory.CreateDirectory(Profiles.GetPath(_dir.Path));

        var ex = Assert.Throws<AtomicWriteException>(() => Profiles.Save(_dir.Path, Octocat));

        Assert.Equal(AtomicWriteStage.Replace, ex.Stage);
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task A_lock_held_by_another_thread_times_out_with_a_clear_error()
    {
        var impatient = JsonFileStore.CreateWithReflection<Profile>("profile.json", lockTimeout: TimeSpan.FromMilliseconds(200));
        Profiles.Save(_dir.Path, Octocat);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task holder = Task.Run(() => Profiles.Update(_dir.Path, p =>
        {
            inside.Set();
            release.Wait();
            return p;
        }));
        inside.Wait();

        var ex = Assert.Throws<StoreLockTimeoutException>(() => impatient.Update(_dir.Path, p => p));

        Assert.Contains(Profiles.GetPath(_dir.Path), ex.Message, StringComparison.Ordinal);
        release.Set();
        await holder;
    }

    [Fact]
    public async Task UpdateAsync_cancelled_while_waiting_for_the_lock_throws_and_leaves_the_lock_usable()
    {
        Profiles.Save(_dir.Path, Octocat);
        using var inside = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task holder = Task.Run(() => Profiles.Update(_dir.Path, p =>
        {
            inside.Set();
            release.Wait();
            return p with { Contributions = p.Contributions + 1 };
        }));
        inside.Wait();
        using var cts = new CancellationTokenSource();

        Task<Profile> waiter = Profiles.UpdateAsync(_dir.Path, p => p with { Contributions = 0 }, cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter);
        release.Set();
        await holder;
        Profile after = await Profiles.UpdateAsync(_dir.Path, p => p with { Contributions = p.Contributions + 1 });
        Assert.Equal(44, after.Contributions);
    }

    [SkippableFact]
    public void Four_processes_times_250_increments_make_exactly_1000()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");
        Process[] children = Enumerable.Range(0, 4).Select(_ => Child.Start("increment", _dir.Path, "250")).ToArray();

        var results = children.Select(c => Child.Complete(c)).ToArray();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Output));
        Assert.Equal(1000, CounterValue());
        // Every acknowledged value is distinct: no two processes ever saw the same state.
        int[] acked = results.SelectMany(r => r.Output.Split('\n'))
            .Where(l => l.StartsWith("acked ", StringComparison.Ordinal))
            .Select(l => int.Parse(l["acked ".Length..]))
            .Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 1000), acked);
    }

    [SkippableFact]
    public void UpdateAsync_blocked_on_from_300_pool_threads_finishes_without_a_lock_timeout()
    {
        // In a child process, so that its thread pool starts cold (as many threads as cores) and no other test's
        // threads hide the starvation. Every caller blocks a pool thread on UpdateAsync: the lock holder must finish
        // without a pool thread of its own, or the queue behind it times out. Before the fix, with a 10 s lock
        // timeout, 180-200 of the 300 timed out here. The child's own bound (120 s) only detects a hang.
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");

        (int exitCode, string output) = Child.Run("update-async-from-pool", _dir.Path, "300", "10000");

        Assert.True(exitCode == 0, output);
        Assert.Contains("timed-out 0\n", output, StringComparison.Ordinal);
        Assert.Equal(300, CounterValue());
    }

    [SkippableFact]
    public void A_process_killed_while_holding_the_lock_does_not_wedge_the_others()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");
        var counter = JsonFileStore.CreateWithReflection<CounterDoc>("counter.json", lockTimeout: TimeSpan.FromMilliseconds(300));
        using Process holder = Child.Start("hold-lock", _dir.Path);
        Child.WaitForLine(holder, "locked");

        var ex = Assert.Throws<StoreLockTimeoutException>(() => counter.Update(_dir.Path, c => c, () => new CounterDoc()));
        Assert.EndsWith(".counter.json.lock", ex.LockPath, StringComparison.Ordinal);

        holder.Kill();
        holder.WaitForExit();

        CounterDoc after = counter.Update(_dir.Path, c => new CounterDoc { N = c.N + 1 }, () => new CounterDoc());
        Assert.Equal(1, after.N);
    }

    private int CounterValue() => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir.Path, "counter.json"))).RootElement.GetProperty("N").GetInt32();

    public sealed class CounterDoc
    {
        public int N { get; set; }
    }
}
