using System.Text;
using DevRank.AtomicStore;

namespace DevRank.Generators.IntegrationTests;

/// <summary>The generated members, end to end, on the real disk.</summary>
public sealed class StoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();

    /// <summary>Save then Load, TryLoad and LoadOrCreate return what was saved.</summary>
    [Fact]
    public void Record_with_context_round_trips()
    {
        new Settings("dark", 7).Save(Dir);

        Assert.Equal(new Settings("dark", 7), Settings.Load(Dir));
        Assert.True(Settings.TryLoad(Dir, out Settings? loaded));
        Assert.Equal(new Settings("dark", 7), loaded);
        Assert.Equal(new Settings("dark", 7), Settings.LoadOrCreate(Dir));
        Assert.Equal(_folder.File("settings.json"), Settings.Store.GetPath(Dir));
        Assert.Equal("settings.json", Settings.FileName);
    }

    /// <summary>A missing file: TryLoad is false, LoadOrCreate makes a value without writing it, Load throws.</summary>
    [Fact]
    public void Missing_file_is_false_new_or_not_found()
    {
        Assert.False(Settings.TryLoad(Dir, out Settings? none));
        Assert.Null(none);
        Assert.Equal(new Settings(), Settings.LoadOrCreate(Dir));
        Assert.Equal(new Settings("made", 1), Settings.LoadOrCreate(Dir, () => new Settings("made", 1)));
        Assert.False(File.Exists(_folder.File("settings.json")));

        StoreNotFoundException missing = Assert.Throws<StoreNotFoundException>(() => Settings.Load(Dir));
        Assert.Equal(_folder.File("settings.json"), missing.FilePath);
    }

    /// <summary>The exact record shape from the design: reflection, parameterless constructor, Update with <c>with</c>.</summary>
    [Fact]
    public void Smallest_record_updates_from_new()
    {
        Assert.Equal(0, X.LoadOrCreate(Dir).N);

        X.Update(Dir, x => x with { N = x.N + 1 });
        X saved = X.Update(Dir, x => x with { N = x.N + 1 });

        Assert.Equal(2, saved.N);
        Assert.Equal(2, X.Load(Dir).N);
        Assert.Equal("""{"N":2}""", File.ReadAllText(_folder.File("x.json")));
    }

    /// <summary>The in-place overload changes a mutable class under the lock; WriteIndented reaches the file.</summary>
    [Fact]
    public void Action_update_changes_in_place()
    {
        Notes.Update(Dir, notes => notes.Items.Add("first"));
        Notes saved = Notes.Update(Dir, notes => notes.Items.Add("second"));

        Assert.Equal(["first", "second"], saved.Items);
        Assert.Equal(["first", "second"], Notes.Load(Dir).Items);
        Assert.Contains('\n', File.ReadAllText(_folder.File("notes.json")));
    }

    /// <summary>Without a parameterless constructor, Update on a missing file throws and creates nothing.</summary>
    [Fact]
    public void Update_without_new_throws_not_found_on_a_missing_file()
    {
        StoreNotFoundException missing = Assert.Throws<StoreNotFoundException>(() => Snapshot.Update(Dir, s => s with { Count = 1 }));

        Assert.Equal(_folder.File(Path.Combine("state", "snapshot.json")), missing.FilePath);
        Assert.False(File.Exists(missing.FilePath));
    }

    /// <summary>A sub-folder file name creates its folder on save.</summary>
    [Fact]
    public void Sub_folder_store_round_trips()
    {
        var taken = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        new Snapshot(taken, 3).Save(Dir);

        Assert.True(File.Exists(_folder.File(Path.Combine("state", "snapshot.json"))));
        Assert.Equal(4, Snapshot.Update(Dir, s => s with { Count = s.Count + 1 }).Count);
        Assert.Equal(new Snapshot(taken, 4), Snapshot.Load(Dir));
    }

    /// <summary>The async members do what the sync ones do.</summary>
    [Fact]
    public async Task Async_members_round_trip()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        CancellationToken token = cancellation.Token;
        Assert.Equal(new Settings(), await Settings.LoadOrCreateAsync(Dir, token));
        Assert.Equal(new Settings("made", 2), await Settings.LoadOrCreateAsync(Dir, () => new Settings("made", 2), token));

        await new Settings("async", 1).SaveAsync(Dir, token);
        Assert.Equal(new Settings("async", 1), await Settings.LoadAsync(Dir, token));

        Settings updated = await Settings.UpdateAsync(Dir, s => s with { Volume = s.Volume + 1 }, token);
        Assert.Equal(2, updated.Volume);

        Settings awaited = await Settings.UpdateAsync(
            Dir,
            async (s, ct) =>
            {
                await Task.Yield();
                return s with { Theme = "awaited" };
            },
            token);
        Assert.Equal(new Settings("awaited", 2), awaited);
        Assert.Equal(awaited, await Settings.LoadAsync(Dir, token));
    }

    /// <summary>A struct store with non-default options: the options reach the runtime, and Update works on copies.</summary>
    [Fact]
    public void Struct_store_with_options()
    {
        Assert.Equal(Durability.AtomicOnly, Counter.Store.WriteOptions.Durability);
        Assert.Equal(TimeSpan.FromMilliseconds(250), Counter.Store.LockTimeout);

        Counter.Update(Dir, c => c with { Value = c.Value + 1 });
        Counter saved = Counter.Update(Dir, c => c with { Value = c.Value + 1 });

        Assert.Equal(2, saved.Value);
        Assert.Equal(2, Counter.Load(Dir).Value);
    }

    /// <summary>Generic code can load and save any store through <see cref="IAtomicStore{TSelf}"/>.</summary>
    [Fact]
    public void Generic_code_works_through_the_interface()
    {
        Assert.Equal(new Settings("generic", 3), SaveAndReload(new Settings("generic", 3), Dir));
        Assert.Equal(new X(9), SaveAndReload(new X(9), Dir));
        Assert.Equal(["a"], SaveAndReload(new Visited { "a" }, Dir));
        Assert.Equal(_folder.File("x.json"), PathOf<X>(Dir));
    }

    private static T SaveAndReload<T>(T value, string folder)
        where T : IAtomicStore<T>
    {
        value.Save(folder);
        return T.Load(folder);
    }

    private static string PathOf<T>(string folder)
        where T : IAtomicStore<T> => T.Store.GetPath(folder);
}

/// <summary>DevRank's two collection-shaped files: stores that derive from a list and from a dictionary.</summary>
public sealed class CollectionRootTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();

    /// <summary><c>visited.json</c> is a bare JSON array, read and written as such.</summary>
    [Fact]
    public void List_store_is_a_json_array()
    {
        File.WriteAllText(_folder.File("visited.json"), """["repo:a/b","user:octocat"]""");

        Visited visited = Visited.Load(Dir);
        Assert.Equal(["repo:a/b", "user:octocat"], visited);

        Visited.Update(Dir, v => v.Add("repo:c/d"));
        Assert.Equal("""["repo:a/b","user:octocat","repo:c/d"]""", File.ReadAllText(_folder.File("visited.json")));
    }

    /// <summary>
    /// <c>tracker.json</c> is a bare JSON object of nullable timestamps; the type's own constructor runs on load, so
    /// its case-insensitive comparer survives the round trip.
    /// </summary>
    [Fact]
    public void Dictionary_store_is_a_json_object_and_keeps_its_comparer()
    {
        File.WriteAllText(_folder.File("tracker.json"), """{"octocat":"2024-01-01T00:00:00+00:00","ghost":null}""");

        Tracker tracker = Tracker.Load(Dir);
        Assert.Equal(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), tracker["OCTOCAT"]);
        Assert.Null(tracker["Ghost"]);

        Tracker.Update(Dir, t => t["Hubot"] = null);
        Assert.Equal(
            """{"octocat":"2024-01-01T00:00:00+00:00","ghost":null,"Hubot":null}""",
            File.ReadAllText(_folder.File("tracker.json")));
    }

    /// <summary>A missing tracker starts empty, with its comparer.</summary>
    [Fact]
    public void Missing_dictionary_store_starts_from_its_constructor()
    {
        Tracker saved = Tracker.Update(Dir, t => t["octocat"] = null);

        Assert.True(saved.ContainsKey("OctoCat"));
        Assert.True(Tracker.Load(Dir).ContainsKey("OCTOCAT"));
    }
}

/// <summary>A corrupt file is reported with its path and never touched.</summary>
public sealed class CorruptFileTests : IDisposable
{
    private static readonly byte[] Garbage = Encoding.UTF8.GetBytes("""{"Theme": "dark", "Volume": """);

    private readonly TempFolder _folder = new();

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();

    /// <summary>Every way of reading a corrupt file throws <see cref="StoreCorruptException"/> and leaves its bytes as they were.</summary>
    [Fact]
    public void Corrupt_file_throws_and_stays_byte_for_byte()
    {
        string path = _folder.File("settings.json");
        File.WriteAllBytes(path, Garbage);
        string dir = _folder.Path;

        AssertCorrupt(() => Settings.Load(dir));
        AssertCorrupt(() => Settings.TryLoad(dir, out _));
        AssertCorrupt(() => Settings.LoadOrCreate(dir));
        AssertCorrupt(() => Settings.LoadOrCreate(dir, () => new Settings()));
        AssertCorrupt(() => Settings.Update(dir, s => s with { Volume = 1 }));
        AssertCorrupt(() => Settings.LoadAsync(dir).AsTask().GetAwaiter().GetResult());
        AssertCorrupt(() => Settings.UpdateAsync(dir, s => s).GetAwaiter().GetResult());

        Assert.Equal(Garbage, File.ReadAllBytes(path));

        void AssertCorrupt(Action read)
        {
            StoreCorruptException error = Assert.Throws<StoreCorruptException>(read);
            Assert.Equal(path, error.FilePath);
            Assert.Contains(path, error.Message, StringComparison.Ordinal);
        }
    }

    /// <summary>The in-place overload on a corrupt collection store throws too, before the change runs.</summary>
    [Fact]
    public void Corrupt_collection_file_throws_before_the_change_runs()
    {
        string path = _folder.File("visited.json");
        File.WriteAllBytes(path, Garbage);
        bool ran = false;

        StoreCorruptException error = Assert.Throws<StoreCorruptException>(() => Visited.Update(_folder.Path, _ => ran = true));

        Assert.False(ran);
        Assert.Equal(path, error.FilePath);
        Assert.Equal(Garbage, File.ReadAllBytes(path));
    }

    /// <summary>KeepBackup on the attribute reaches the runtime: the replaced version is kept and can be restored.</summary>
    [Fact]
    public void A_store_with_KeepBackup_can_be_restored_after_outside_damage()
    {
        Journal.Update(_folder.Path, j => j.Entries.Add("first"));
        Journal.Update(_folder.Path, j => j.Entries.Add("second"));
        File.WriteAllText(_folder.File("journal.json"), "{\"Entries\":[\"fir");

        Assert.Throws<StoreCorruptException>(() => Journal.Load(_folder.Path));
        Journal restored = Journal.Store.RestoreBackup(_folder.Path);

        Assert.Equal(["first"], restored.Entries);
        Assert.Equal(["first"], Journal.Load(_folder.Path).Entries);
        Assert.True(Journal.Store.WriteOptions.KeepBackup);
    }
}
