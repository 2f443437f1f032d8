using System.Diagnostics;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

public sealed class SweepTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_sweep_removes_stale_temps_of_the_file_and_nothing_else()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "keep");
        string stale = _dir.File(".users.json.0123456789abcdef.tmp");
        File.WriteAllText(stale, "left by a crashed writer");
        string[] others =
        [
            _dir.File(".users.json.lock"),
            _dir.File(".tracker.json.0123456789abcdef.tmp"),
            _dir.File(".users.json.notatemp.tmp"),
            _dir.File("users.json.bak"),
        ];
        foreach (string other in others)
        {
            File.WriteAllText(other, "not ours to delete");
        }

        int deleted = AtomicFile.SweepStaleTemps(path);

        Assert.Equal(1, deleted);
        Assert.False(File.Exists(stale));
        Assert.All(others, other => Assert.True(File.Exists(other), other));
        Assert.Equal("keep", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_sweep_never_deletes_the_temp_of_a_live_writer_in_this_process()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");
        using var writing = new ManualResetEventSlim();
        using var finish = new ManualResetEventSlim();

        Task writer = Task.Run(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new"u8);
            writing.Set();
            finish.Wait();
        }));
        writing.Wait();

        Assert.Equal(0, AtomicFile.SweepStaleTemps(path));
        Assert.Single(_dir.Temps());

        finish.Set();
        await writer;
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void A_sweep_spares_a_live_writer_in_another_process_and_removes_its_temp_once_it_is_killed()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "relies on flock semantics");
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");
        using Process child = Child.Start("write-stream-and-hang", path);
        try
        {
            Child.WaitForLine(child, "writing");

            Assert.Equal(0, AtomicFile.SweepStaleTemps(path));
            Assert.Single(_dir.Temps());
        }
        finally
        {
            child.Kill(); // SIGKILL: the writer gets no chance to clean up
            child.WaitForExit();
        }

        Assert.Single(_dir.Temps());
        Assert.Equal(1, AtomicFile.SweepStaleTemps(path));
        Assert.Empty(_dir.Temps());
        Assert.Equal("old", File.ReadAllText(path));
    }

    [SkippableFact]
    public void A_store_sweeps_beside_the_real_file_when_its_file_is_a_symbolic_link()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        var store = JsonFileStore.CreateWithReflection<Profile>("profile.json");
        string real = Path.Combine(_dir.Path, "real");
        string folder = Path.Combine(_dir.Path, "store");
        Directory.CreateDirectory(real);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(real, "profile.json"), "{}");
        File.CreateSymbolicLink(store.GetPath(folder), Path.Combine(real, "profile.json"));
        string stale = Path.Combine(real, ".profile.json.0123456789abcdef.tmp");
        File.WriteAllText(stale, "left by a killed writer");

        Assert.Equal(1, store.SweepStaleTemps(folder));
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void A_backup_link_is_kept_while_its_writer_lives_and_swept_once_its_temp_is_gone()
    {
        string path = _dir.File("profile.json");
        File.WriteAllText(path, "{}");
        string link = "";
        AtomicFile.Write(path, stream =>
        {
            // Mid-write: this write's temp exists and is locked. A backup link named after it belongs to a live writer.
            string temp = Path.GetFileName(Assert.Single(_dir.Temps()));
            link = _dir.File(".profile.json.bak." + temp[".profile.json.".Length..^".tmp".Length] + ".link");
            File.WriteAllText(link, "a live backup link");

            Assert.Equal(0, AtomicFile.SweepStaleTemps(path));
            Assert.Equal(0, AtomicFile.SweepStaleTemps(path + ".bak"));
            Assert.True(File.Exists(link));
            stream.Write("{}"u8);
        });

        // The write is done and its temp renamed: nothing will ever rename or remove that link now.
        Assert.Equal(1, AtomicFile.SweepStaleTemps(path));
        Assert.False(File.Exists(link));
    }
}
