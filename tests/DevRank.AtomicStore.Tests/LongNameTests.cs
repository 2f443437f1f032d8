using System.Text;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// A file name may be up to 255 UTF-8 bytes (NAME_MAX); the names the runtime makes beside it (temp, lock, backup
/// links) must fit too, and the sweep must still recognise exactly those names.
/// </summary>
public sealed class LongNameTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>240 and 255 bytes, ASCII and multi-byte (é is 2 bytes, € is 3).</summary>
    public static TheoryData<string> Names() =>
    [
        new string('a', 235) + ".json",
        new string('é', 117) + "x.json",
        new string('b', 250) + ".json",
        new string('€', 83) + "x.json",
    ];

    [Theory]
    [MemberData(nameof(Names))]
    public void A_store_with_a_long_name_saves_loads_and_updates(string name)
    {
        Assert.InRange(Encoding.UTF8.GetByteCount(name), 240, 255);
        var store = JsonFileStore.CreateWithReflection<Profile>(name);
        store.Save(_dir.Path, new Profile("a", 1, []));
        store.Update(_dir.Path, p => p with { Contributions = p.Contributions + 1 });
        store.Save(_dir.Path, store.Load(_dir.Path) with { Login = "b" });

        Assert.Equal(new Profile("b", 2, []).Login, store.Load(_dir.Path).Login);
        Assert.Equal(2, store.Load(_dir.Path).Contributions);
        Assert.Empty(_dir.Temps());
        // The lock file is there, hidden, and starts with (a recognisable part of) the store's name.
        // Filtered here, not by a search pattern: Wine's matcher finds nothing for ".*lock".
        string lockName = Assert.Single(Directory.GetFiles(_dir.Path), f => Path.GetFileName(f).StartsWith('.') && f.EndsWith(".lock", StringComparison.Ordinal));
        Assert.StartsWith("." + name[..50], Path.GetFileName(lockName), StringComparison.Ordinal);
        Assert.All(Directory.GetFiles(_dir.Path), f => Assert.InRange(Encoding.UTF8.GetByteCount(Path.GetFileName(f)), 1, 255));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_long_named_store_keeps_backups_where_the_bak_name_fits(string name)
    {
        if (Encoding.UTF8.GetByteCount(name + ".bak") > 255)
        {
            // "<name>.bak" is the user's name for the backup and cannot be shortened: refused up front.
            var ex = Assert.Throws<ArgumentException>(() => JsonFileStore.CreateWithReflection<Profile>(name, writeOptions: new AtomicWriteOptions { KeepBackup = true }));
            Assert.Contains(".bak", ex.Message, StringComparison.Ordinal);
            Assert.Contains("255", ex.Message, StringComparison.Ordinal);
            return;
        }

        var store = JsonFileStore.CreateWithReflection<Profile>(name, writeOptions: new AtomicWriteOptions { KeepBackup = true });
        store.Save(_dir.Path, new Profile("first", 1, []));
        store.Save(_dir.Path, new Profile("second", 2, []));
        store.Save(_dir.Path, new Profile("third", 3, []));
        Assert.Contains("second", File.ReadAllText(store.GetBackupPath(_dir.Path)), StringComparison.Ordinal);
        Assert.Equal(2, Directory.GetFiles(_dir.Path).Length);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_sweep_removes_exactly_what_a_dead_writer_of_a_long_name_leaves(string name)
    {
        string path = _dir.File(name);
        File.WriteAllText(path, "keep");
        string temp = _dir.File(TempFiles.NameFor(name, 0x0123456789abcdef));
        string link = _dir.File(TempFiles.NameFor(name + ".bak", 0x0123456789abcdef, ".link"));
        string prev = _dir.File(TempFiles.NameFor(name + ".bak", 0x0123456789abcdef, ".prev"));
        // The same forms for a name that shares the first 230 characters: another store's, never ours.
        string other = name[..^6] + "z.json";
        string[] others = [_dir.File(TempFiles.NameFor(other, 0x0123456789abcdef)), _dir.File(TempFiles.NameFor(other + ".bak", 1, ".link"))];
        foreach (string file in (string[])[temp, link, prev, .. others])
        {
            Assert.InRange(Encoding.UTF8.GetByteCount(Path.GetFileName(file)), 1, 255);
            File.WriteAllText(file, "left by a killed writer");
        }

        Assert.True(TempFiles.IsTempOf(Path.GetFileName(temp), name));
        Assert.False(TempFiles.IsTempOf(Path.GetFileName(others[0]), name));
        Assert.Equal(3, AtomicFile.SweepStaleTemps(path));
        Assert.False(File.Exists(temp));
        Assert.False(File.Exists(link));
        Assert.False(File.Exists(prev));
        Assert.All(others, o => Assert.True(File.Exists(o)));
        Assert.Equal("keep", File.ReadAllText(path));
    }

    [Fact]
    public async Task The_sweep_leaves_a_live_writers_temp_of_a_long_name()
    {
        string path = _dir.File(new string('€', 83) + ".json");
        using var writing = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();
        Task writer = Task.Run(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new"u8);
            writing.Set();
            finish.Wait();
        }));
        await Task.WhenAny(writer, Task.Run(writing.Wait));
        if (writer.IsCompleted)
        {
            await writer; // it failed before it wrote (the name did not fit): throws here
        }

        Assert.Equal(0, AtomicFile.SweepStaleTemps(path));
        Assert.Single(_dir.Temps());
        finish.Set();
        await writer;
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void A_long_named_store_can_be_quarantined(string name)
    {
        var store = JsonFileStore.CreateWithReflection<Profile>(name);
        File.WriteAllText(store.GetPath(_dir.Path), "{ damaged");
        string quarantined = store.Quarantine(_dir.Path);
        Assert.Equal("{ damaged", File.ReadAllText(quarantined));
        Assert.Contains(".corrupt-", quarantined, StringComparison.Ordinal);
        Assert.StartsWith(name[..50], Path.GetFileName(quarantined), StringComparison.Ordinal);
        Assert.False(File.Exists(store.GetPath(_dir.Path)));
    }

    [Fact]
    public void AtomicFile_with_a_backup_whose_name_cannot_fit_fails_at_the_backup_stage_and_leaves_the_file()
    {
        string path = _dir.File(new string('b', 250) + ".json");
        var options = new AtomicWriteOptions { KeepBackup = true };
        AtomicFile.WriteAllText(path, "first", options: options);

        var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "second", options: options));

        Assert.Equal(AtomicWriteStage.Backup, ex.Stage);
        Assert.Equal("first", File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void A_name_longer_than_255_bytes_is_refused_at_construction()
    {
        var ex = Assert.Throws<ArgumentException>(() => JsonFileStore.CreateWithReflection<Profile>("sub/" + new string('é', 128) + ".json"));
        Assert.Contains("255", ex.Message, StringComparison.Ordinal);
    }
}
