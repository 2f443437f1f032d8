using System.Diagnostics;
using System.Text;
using System.Text.Json;
using DevRank.AtomicStore;
using DevRank.AtomicStore.Tests;
using DevRank.Testing;

namespace DevRank.Windows.Tests;

/// <summary>
/// What only the Windows branches do: MoveFileExW and its retries against share modes, CreateHardLinkW backups,
/// and the update lock as a share-mode lock across processes. Asserted as Wine 8 does it; see docs/runtime.md.
/// </summary>
public sealed class WindowsTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_reader_without_FILE_SHARE_DELETE_fails_the_save_after_the_retries_and_the_file_stays_intact()
    {
        string path = _dir.File("held.json");
        File.WriteAllText(path, "previous");
        var clock = Stopwatch.StartNew();
        AtomicWriteException ex;
        using (new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "new"));
        }

        Assert.Equal(AtomicWriteStage.Replace, ex.Stage);
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        // ERROR_ACCESS_DENIED is what a rename over a file open without FILE_SHARE_DELETE gets.
        Assert.Equal(5, ex.NativeErrorCode);
        // Ten attempts sleep at least 5 ms × (1 + … + 9) between them: the retries happened.
        Assert.True(clock.ElapsedMilliseconds >= 225, $"gave up after {clock.ElapsedMilliseconds} ms");
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task A_reader_that_lets_go_during_the_retries_lets_the_save_succeed()
    {
        string path = _dir.File("held.json");
        File.WriteAllText(path, "previous");
        var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        using var release = Task.Delay(60).ContinueWith(_ => reader.Dispose(), TaskScheduler.Default);

        AtomicFile.WriteAllText(path, "new");

        await release;
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void Under_Wine_even_a_reader_sharing_delete_fails_the_save_and_the_file_stays_intact()
    {
        // What the store's own loads do (FileShare.ReadWrite | FileShare.Delete). Wine refuses to rename over any
        // open file (measured); whether Windows does depends on its rename semantics, which Wine cannot show.
        Skip.IfNot(Wine.IsRunning, "measured under Wine only");
        string path = _dir.File("shared.json");
        File.WriteAllText(path, "previous");
        AtomicWriteException ex;
        using (var reader = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "new"));
            Assert.Equal("previous", new StreamReader(reader).ReadToEnd());
        }

        Assert.Equal(AtomicWriteStage.Replace, ex.Stage);
        Assert.Equal(5, ex.NativeErrorCode);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());

        AtomicFile.WriteAllText(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_folder_in_the_targets_place_is_a_typed_error_and_leaves_no_temp()
    {
        string path = _dir.File("taken.json");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "inside.txt"), "kept");

        var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "new"));

        Assert.Equal(AtomicWriteStage.Replace, ex.Stage);
        Assert.Equal(path, ex.FilePath);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(path, "inside.txt")));
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void A_read_only_target_is_a_typed_error_and_stays_intact()
    {
        // Measured: Wine 8 renames over a read-only file (as root, where the Unix rename is allowed).
        Skip.If(Wine.IsRunning, "Wine replaces a read-only file; Windows refuses with ERROR_ACCESS_DENIED");
        string path = _dir.File("readonly.json");
        File.WriteAllText(path, "previous");
        File.SetAttributes(path, FileAttributes.ReadOnly);
        try
        {
            var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "new"));

            Assert.Equal(AtomicWriteStage.Replace, ex.Stage);
            Assert.Equal(5, ex.NativeErrorCode);
            Assert.Equal("previous", File.ReadAllText(path));
            Assert.Empty(_dir.Temps());
        }
        finally
        {
            File.SetAttributes(path, FileAttributes.Normal);
        }
    }

    [Fact]
    public async Task Concurrent_saves_and_store_loads_see_whole_documents_and_a_blocked_save_fails_typed()
    {
        // The Windows form of AtomicFileTests.Concurrent_writers_and_readers_only_ever_see_whole_documents. An open
        // file cannot be renamed over here, so a save that meets loads at every one of its retries fails; it must
        // fail typed, with a whole document left in place.
        var store = JsonFileStore.CreateWithReflection<Profile>("profile.json");
        store.Save(_dir.Path, new Profile("p", 0, []));
        using var stop = new CancellationTokenSource();
        int reads = 0, saved = 0, blocked = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Profile read = store.Load(_dir.Path);
                Assert.Equal(read.Contributions, read.Orgs.Count);
                Interlocked.Increment(ref reads);
                Thread.Sleep(1);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w =>
        {
            for (int i = 1; i <= 40; i++)
            {
                int n = (w * 40) + i;
                try
                {
                    store.Save(_dir.Path, new Profile("p", n, [.. Enumerable.Range(0, n).Select(k => new string('x', k))]));
                    Interlocked.Increment(ref saved);
                }
                catch (AtomicWriteException ex) when (ex.Stage == AtomicWriteStage.Replace && ex.NativeErrorCode is 5 or 32)
                {
                    Interlocked.Increment(ref blocked);
                }
            }
        });
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.True(reads > 0);
        Assert.True(saved > 0, $"no save got through ({blocked} blocked)");
        Profile final = store.Load(_dir.Path);
        Assert.Equal(final.Contributions, final.Orgs.Count);
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void A_backup_is_a_hard_link_made_by_CreateHardLinkW()
    {
        var store = JsonFileStore.CreateWithReflection<Profile>("profile.json", writeOptions: new AtomicWriteOptions { KeepBackup = true });
        store.Save(_dir.Path, new Profile("a", 1, []));
        store.Save(_dir.Path, new Profile("a", 2, []));
        string backup = store.GetBackupPath(_dir.Path);
        Assert.Equal(2, store.Load(_dir.Path).Contributions);
        Assert.Equal(1, JsonSerializer.Deserialize<Profile>(File.ReadAllBytes(backup))!.Contributions);

        // One file under two names: a write through one name shows through the other. (The library never writes in
        // place; the test does, to tell a link from a copy.)
        store.Save(_dir.Path, new Profile("a", 3, []));
        string older = File.ReadAllText(backup);
        using (var inPlace = new FileStream(store.GetPath(_dir.Path), FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            inPlace.Write(Encoding.UTF8.GetBytes(new string(' ', 1)));
        }

        store.Save(_dir.Path, new Profile("a", 4, []));
        Assert.NotEqual(older, File.ReadAllText(backup));
        Assert.StartsWith(" ", File.ReadAllText(backup), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.link"));
    }

    [Fact]
    public void A_temp_held_by_a_live_writer_survives_a_sweep_and_a_closed_one_does_not()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "keep");
        string stale = _dir.File(".users.json.0123456789abcdef.tmp");
        File.WriteAllText(stale, "left by a crashed writer");
        using (var live = new AtomicFileProbe(path))
        {
            Assert.Equal(1, AtomicFile.SweepStaleTemps(path));
            Assert.True(File.Exists(live.TempPath));
            Assert.False(File.Exists(stale));
        }

        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void The_update_lock_is_held_across_processes_and_dies_with_its_holder()
    {
        var counter = JsonFileStore.CreateWithReflection<JsonFileStoreTests.CounterDoc>("counter.json", lockTimeout: TimeSpan.FromMilliseconds(300));
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string arg in (string[])["child", "hold-lock", _dir.Path])
        {
            info.ArgumentList.Add(arg);
        }

        using Process holder = Process.Start(info)!;
        try
        {
            Child.WaitForLine(holder, "locked");

            var ex = Assert.Throws<StoreLockTimeoutException>(() => counter.Update(_dir.Path, c => c, () => new JsonFileStoreTests.CounterDoc()));
            Assert.EndsWith(".counter.json.lock", ex.LockPath, StringComparison.Ordinal);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }

        JsonFileStoreTests.CounterDoc after = counter.Update(_dir.Path, c => new JsonFileStoreTests.CounterDoc { N = c.N + 1 }, () => new JsonFileStoreTests.CounterDoc());
        Assert.Equal(1, after.N);
    }

    /// <summary>A write in progress, to look at its temp: the temp is created and held until disposed.</summary>
    private sealed class AtomicFileProbe(string path) : IDisposable
    {
        private readonly AtomicWrite _write = AtomicWrite.Begin(path, null);

        public string TempPath => _write.TempPath;

        public void Dispose() => _write.Dispose();
    }
}
