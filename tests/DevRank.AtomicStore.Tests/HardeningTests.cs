using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// The careless caller and the hostile folder, in one process: null values, re-entry, planted links and FIFOs, lock
/// file modes, owners, a bind-mounted target. Each test fails without the defence it names (docs/security.md).
/// </summary>
public sealed class HardeningTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly JsonFileStore<Profile> Store = JsonFileStore.CreateWithReflection<Profile>("profile.json");
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Saving_null_is_refused_before_anything_is_written()
    {
        Store.Save(_dir.Path, new Profile("a", 1, []));
        byte[] before = File.ReadAllBytes(Store.GetPath(_dir.Path));

        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => Store.Save(_dir.Path, null!)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => { _ = Store.SaveAsync(_dir.Path, null!); }).ParamName);

        Assert.Equal(before, File.ReadAllBytes(Store.GetPath(_dir.Path)));
        Assert.Equal(1, Store.Load(_dir.Path).Contributions);
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task An_update_whose_change_returns_null_is_refused_before_anything_is_written()
    {
        Store.Save(_dir.Path, new Profile("a", 1, []));
        byte[] before = File.ReadAllBytes(Store.GetPath(_dir.Path));

        Assert.Equal("change", Assert.Throws<ArgumentNullException>(() => Store.Update(_dir.Path, _ => null!)).ParamName);
        Assert.Equal("change", (await Assert.ThrowsAsync<ArgumentNullException>(() => Store.UpdateAsync(_dir.Path, _ => null!))).ParamName);

        Assert.Equal(before, File.ReadAllBytes(Store.GetPath(_dir.Path)));
        // The lock was released: a proper update goes through.
        Assert.Equal(2, Store.Update(_dir.Path, p => p with { Contributions = 2 }).Contributions);
    }

    [Fact]
    public async Task An_update_inside_its_own_change_fails_at_once_instead_of_waiting_for_itself()
    {
        // A long lock timeout: before the fix the inner update waited all of it and blamed another thread or process.
        var store = JsonFileStore.CreateWithReflection<Profile>("profile.json", lockTimeout: TimeSpan.FromMinutes(5));
        store.Save(_dir.Path, new Profile("a", 1, []));

        Task<LockRecursionException> inner = Task.Run(() => Assert.Throws<LockRecursionException>(() =>
            store.Update(_dir.Path, p => store.Update(_dir.Path, q => q with { Contributions = 9 }))));

        LockRecursionException error = await inner.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("inside an Update of the same store", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, store.Load(_dir.Path).Contributions);
    }

    [Fact]
    public async Task An_async_update_inside_its_own_change_fails_at_once()
    {
        var store = JsonFileStore.CreateWithReflection<Profile>("profile.json", lockTimeout: TimeSpan.FromMinutes(5));
        store.Save(_dir.Path, new Profile("a", 1, []));

        Task<LockRecursionException> inner = Assert.ThrowsAsync<LockRecursionException>(() =>
            store.UpdateAsync(_dir.Path, async (p, token) => await store.UpdateAsync(_dir.Path, q => q, cancellationToken: token)));

        Assert.Same(inner, await Task.WhenAny(inner, Task.Delay(TimeSpan.FromSeconds(60))));
        await inner;
    }

    [Fact]
    public async Task Other_stores_and_work_that_outlives_the_lock_are_not_taken_for_re_entry()
    {
        var other = JsonFileStore.CreateWithReflection<Profile>("other.json");
        Task later = Task.CompletedTask;
        using var release = new ManualResetEventSlim();

        Store.Update(_dir.Path, p =>
        {
            // Another store inside the change is fine, and so is a task started here that updates after the lock is gone.
            other.Update(_dir.Path, q => q with { Contributions = 5 }, () => new Profile("b", 0, []));
            later = Task.Run(() =>
            {
                release.Wait();
                Store.Update(_dir.Path, q => q with { Contributions = q.Contributions + 1 });
            });
            return p with { Contributions = 10 };
        }, () => new Profile("a", 0, []));
        release.Set();
        await later.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(11, Store.Load(_dir.Path).Contributions);
        Assert.Equal(5, other.Load(_dir.Path).Contributions);
    }

    [SkippableFact]
    public void The_lock_file_gets_the_store_files_mode_so_only_its_readers_can_hold_it()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix modes");
        Store.Save(_dir.Path, new Profile("a", 1, []));
        File.SetUnixFileMode(Store.GetPath(_dir.Path), OwnerOnly);

        Store.Update(_dir.Path, p => p with { Contributions = 2 });

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(_dir.File(".profile.json.lock")));
    }

    [SkippableFact]
    public void A_link_planted_as_the_lock_file_is_refused_and_its_target_never_created()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var elsewhere = new TempFolder();
        string victim = elsewhere.File("created-by-the-victim");
        File.CreateSymbolicLink(_dir.File(".profile.json.lock"), victim);
        Store.Save(_dir.Path, new Profile("a", 1, []));

        var error = Assert.Throws<StoreLoadException>(() => Store.Update(_dir.Path, p => p with { Contributions = 2 }));

        Assert.Contains(".profile.json.lock", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(victim));
        Assert.Equal(1, Store.Load(_dir.Path).Contributions);
    }

    [SkippableFact]
    public async Task A_FIFO_where_the_store_file_or_its_lock_should_be_is_a_typed_error_not_a_hang()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are Unix");
        Sh.Must("mkfifo", Store.GetPath(_dir.Path));

        StoreLoadException load = await Task.Run(() => Assert.Throws<StoreLoadException>(() => Store.Load(_dir.Path))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Contains("not a regular file", load.Message, StringComparison.Ordinal);

        var other = JsonFileStore.CreateWithReflection<Profile>("other.json");
        Sh.Must("mkfifo", _dir.File(".other.json.lock"));
        await Task.Run(() => Assert.Throws<StoreLoadException>(() => other.Update(_dir.Path, p => p, () => new Profile("b", 0, [])))).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(File.Exists(other.GetPath(_dir.Path)));
    }

    [SkippableFact]
    public async Task A_FIFO_named_like_a_temp_hangs_neither_the_sweep_nor_the_first_save()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are Unix");
        var store = JsonFileStore.CreateWithReflection<Profile>($"fifo-{Guid.NewGuid():N}.json");
        string path = store.GetPath(_dir.Path);
        string fifo = Path.Combine(_dir.Path, "." + Path.GetFileName(path) + ".0123456789abcdef.tmp");
        Sh.Must("mkfifo", fifo);

        // The first save of a store in a process sweeps its folder first.
        Task<int> work = Task.Run(() =>
        {
            store.Save(_dir.Path, new Profile("a", 1, []));
            return AtomicFile.SweepStaleTemps(path);
        });

        bool finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(60))) == work;
        if (!finished)
        {
            // Unblock the stuck open so the test run can end.
            await using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        }

        Assert.True(finished, "a FIFO named like a temp blocked the sweep");
        Assert.Equal(0, await work);
        Assert.True(File.Exists(fifo));
        Assert.Equal(1, store.Load(_dir.Path).Contributions);
    }

    [SkippableFact]
    public void Root_replacing_another_users_file_keeps_its_owner_and_group()
    {
        Skip.IfNot(Root.IsRoot, "chown needs root");
        string path = Store.GetPath(_dir.Path);
        Store.Save(_dir.Path, new Profile("a", 1, []));
        Sh.Must("chown", "65534:65534", path);
        File.SetUnixFileMode(path, OwnerOnly);

        Store.Save(_dir.Path, new Profile("a", 2, []));

        Assert.Equal("65534:65534 600", Sh.Must("stat", "-c", "%u:%g %a", path).Trim());
        Assert.Equal(2, Store.Load(_dir.Path).Contributions);
    }

    [SkippableFact]
    public void A_bind_mounted_target_is_explained_as_a_mount_point()
    {
        Skip.IfNot(Root.IsRoot, "mount needs root");
        string path = _dir.File("mounted.json");
        string source = _dir.File("elsewhere.json");
        File.WriteAllText(path, "{}");
        File.WriteAllText(source, "{\"from\":\"the mount\"}");
        Sh.Must("mount", "--bind", source, path);
        try
        {
            var error = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "{\"new\":1}"));

            Assert.Equal(AtomicWriteStage.Replace, error.Stage);
            Assert.Contains("mount point", error.Message, StringComparison.Ordinal);
            Assert.Equal("{\"from\":\"the mount\"}", File.ReadAllText(path));
            Assert.Empty(_dir.Temps());
        }
        finally
        {
            Sh.Run("umount", path);
        }
    }

    [SkippableFact]
    public void The_sweep_counts_only_what_it_deleted()
    {
        Skip.IfNot(Root.IsRoot, "chattr +i needs root");
        string path = _dir.File("profile.json");
        string stale = _dir.File(".profile.json.0123456789abcdef.tmp");
        File.WriteAllText(stale, "left by a killed writer");
        // An immutable file cannot be unlinked, even by root.
        Skip.If(Sh.Run("chattr", "+i", stale).ExitCode != 0, "this file system has no immutable attribute");
        try
        {
            Assert.Equal(0, AtomicFile.SweepStaleTemps(path));
            Assert.True(File.Exists(stale));
        }
        finally
        {
            Sh.Run("chattr", "-i", stale);
        }

        Assert.Equal(1, AtomicFile.SweepStaleTemps(path));
    }

    [SkippableFact]
    public void A_link_owned_by_root_in_a_folder_others_can_write_is_still_followed()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var real = new TempFolder();
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x3FF | UnixFileMode.StickyBit);
        File.CreateSymbolicLink(Store.GetPath(_dir.Path), real.File("profile.json"));

        Store.Save(_dir.Path, new Profile("a", 1, []));

        Assert.Equal(1, Store.Load(_dir.Path).Contributions);
        Assert.True(File.Exists(real.File("profile.json")));
        Assert.NotNull(new FileInfo(Store.GetPath(_dir.Path)).LinkTarget);
    }

    [Fact]
    public async Task A_task_the_change_starts_waits_for_the_lock_instead_of_being_taken_for_re_entry()
    {
        Store.Save(_dir.Path, new Profile("a", 1, []));
        Task<Profile> inner = Task.CompletedTask.ContinueWith(_ => new Profile("", 0, []), TaskScheduler.Default);

        using var started = new ManualResetEventSlim();
        Store.Update(_dir.Path, p =>
        {
            // Started under the lock and still running when the change returns: it waits, then updates. (The wait for
            // it to start: a busy pool can take longer than the change to run it.)
            inner = Task.Run(() =>
            {
                started.Set();
                return Store.Update(_dir.Path, q => q with { Contributions = q.Contributions * 10 });
            });
            Assert.True(started.Wait(TimeSpan.FromSeconds(60)));
            Thread.Sleep(500);
            return p with { Contributions = 2 };
        });

        Assert.Equal(20, (await inner.WaitAsync(TimeSpan.FromSeconds(60))).Contributions);
        Assert.Equal(20, Store.Load(_dir.Path).Contributions);
    }

    [SkippableFact]
    public void A_lock_file_root_creates_for_another_users_store_belongs_to_that_user()
    {
        Skip.IfNot(Root.IsRoot, "chown needs root");
        string path = Store.GetPath(_dir.Path);
        Store.Save(_dir.Path, new Profile("a", 1, []));
        Sh.Must("chown", "65534:65534", path);
        File.SetUnixFileMode(path, OwnerOnly);

        Store.Update(_dir.Path, p => p with { Contributions = 2 });

        Assert.Equal("65534:65534 600", Sh.Must("stat", "-c", "%u:%g %a", _dir.File(".profile.json.lock")).Trim());
    }

    [SkippableFact]
    public void A_hard_link_to_one_of_roots_links_planted_in_a_shared_folder_is_not_taken_for_roots_own()
    {
        Skip.IfNot(Root.IsRoot, "planting the hard link (as an attacker could where fs.protected_hardlinks is off) needs root here");
        using var elsewhere = new TempFolder();
        string victim = elsewhere.File("victim.json");
        File.WriteAllText(victim, "{}");
        string rootsLink = elsewhere.File("roots-link");
        File.CreateSymbolicLink(rootsLink, victim);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        Sh.Must("ln", "-P", rootsLink, Store.GetPath(_dir.Path));

        var error = Assert.Throws<AtomicWriteException>(() => Store.Save(_dir.Path, new Profile("a", 1, [])));

        Assert.Contains("second name", error.Message, StringComparison.Ordinal);
        Assert.Equal("{}", File.ReadAllText(victim));
    }
}
