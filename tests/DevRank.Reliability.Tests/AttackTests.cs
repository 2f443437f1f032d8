using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 8: a hostile neighbour and a .NET setting, across real processes. The attacker is a second user
/// (<c>nobody</c>, through <c>setpriv</c>); the victim is this process or its children, as root. Each defence is in
/// docs/security.md, and each test here fails without it.
/// </summary>
public sealed partial class AttackTests(ITestOutputHelper output) : IDisposable
{
    private const string Suite = "attacks";
    private static readonly Dictionary<string, string> LockingOff = new() { ["DOTNET_SYSTEM_IO_DISABLEFILELOCKING"] = "1" };
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_second_user_cannot_open_the_temp_of_a_private_store_in_the_window_before_it_gets_its_mode()
    {
        SkipIf(Strace.WhyUnavailable);
        SkipIf(Root.WhyUnavailable("setpriv"));
        string path = _dir.File("secret.json");
        File.WriteAllText(path, "{\"token\":\"old\"}");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        // strace holds the fchmod that gives the temp its final mode for 3 s: the window an inotify watcher uses.
        using Process writer = Child.StartProgram("strace",
            ["-f", "-qq", "-o", "/dev/null", "-e", "trace=fchmod", "-e", "inject=fchmod:delay_enter=3000000", Child.Dotnet, "exec", Child.HostDll, "write", path, "4096"]);
        string temp = WaitForTemp(TimeSpan.FromSeconds(60));
        (int code, string said) = AsNobody("cat", temp);
        (int writerCode, string written) = Child.Complete(writer);

        output.WriteLine(Figures.Record(Suite, "second user opens a 0600 store's temp in the window", code == 0 ? "opened" : "refused"));
        Assert.NotEqual(0, code);
        Assert.Contains("Permission denied", said, StringComparison.Ordinal);
        Assert.True(writerCode == 0, written);
        Assert.Equal("600", Sh.Must("stat", "-c", "%a", path).Trim());
    }

    [SkippableFact]
    public void The_temp_is_created_without_group_or_other_bits_when_it_replaces_a_file()
    {
        SkipIf(Strace.WhyUnavailable);
        string path = _dir.File("secret.json");
        File.WriteAllText(path, "{}");

        (int code, string said, string[] trace) = Strace.Run(["-e", "trace=openat"], "write", path, "100");

        Assert.True(code == 0, said);
        string create = Assert.Single(trace, line => line.Contains(".secret.json.", StringComparison.Ordinal) && line.Contains("O_CREAT", StringComparison.Ordinal));
        Assert.Contains("O_EXCL", create, StringComparison.Ordinal);
        Assert.Contains("O_NOFOLLOW", create, StringComparison.Ordinal);
        Assert.Matches(@", 0600\) = \d+", create);
    }

    [SkippableFact]
    public void A_link_planted_by_another_user_as_the_store_file_is_never_followed()
    {
        SkipIf(Root.WhyUnavailable("setpriv"));
        using var elsewhere = new TempFolder();
        string victim = elsewhere.File("victim.json");
        File.WriteAllText(victim, "{\"N\":1}");
        // A shared folder: everyone may write it, as /tmp or a group-writable data folder.
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        string store = _dir.File("counter.json");
        Sh.Must("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "ln", "-s", victim, store);

        (int saveCode, string saved) = Child.Run("write", store, "64");
        (int loadCode, string loaded) = Child.Run("load-counter", _dir.Path);
        (int updateCode, string updated) = Child.Run("increment", _dir.Path, "1");

        bool held = saveCode == 3 && loadCode == 3 && updateCode == 3 && File.ReadAllText(victim) == "{\"N\":1}";
        output.WriteLine(Figures.Record(Suite, "a link planted as the store file: save / load / update", held ? "refused, target untouched" : "followed"));
        Assert.True(saveCode == 3, saved);
        Assert.Contains("owned by another user", saved, StringComparison.Ordinal);
        Assert.True(loadCode == 3, loaded);
        Assert.True(updateCode == 3, updated);
        Assert.Equal("{\"N\":1}", File.ReadAllText(victim));
    }

    [SkippableFact]
    public void Two_names_of_one_file_share_one_lock_and_lose_no_update()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        // The link exists before the file it names would be dangling, which a load refuses: start from zero.
        File.WriteAllText(_dir.File("counter.json"), "{\"N\":0}");
        File.CreateSymbolicLink(_dir.File("alias.json"), "counter.json");

        int lost = RaceIncrements(150, new Dictionary<string, string>(), ["counter.json", "alias.json"]);

        output.WriteLine(Figures.Record(Suite, "2 processes x 150 updates through two names of one file: lost", lost));
        Assert.Equal(0, lost);
    }

    [SkippableFact]
    public void Updates_lose_nothing_with_DOTNET_SYSTEM_IO_DISABLEFILELOCKING_set()
    {
        Skip.If(OperatingSystem.IsWindows(), "a Unix-only .NET setting");

        int lost = RaceIncrements(150, LockingOff, ["counter.json", "counter.json"]);

        output.WriteLine(Figures.Record(Suite, "2 processes x 150 updates with .NET file locking off: lost", lost));
        Assert.Equal(0, lost);
    }

    [SkippableFact]
    public void A_sweep_never_deletes_a_live_writers_temp_with_DOTNET_SYSTEM_IO_DISABLEFILELOCKING_set()
    {
        Skip.If(OperatingSystem.IsWindows(), "a Unix-only .NET setting");
        string path = _dir.File("live.json");
        using var writer = new LiveChild(LockingOff, "write-stream-and-hang", path);
        Assert.True(writer.WaitFor(line => line == "writing", TimeSpan.FromSeconds(60)), "the writer never started");

        (int code, string said) = Child.Complete(Child.StartWith(LockingOff, "sweep", path));

        output.WriteLine(Figures.Record(Suite, "sweep with .NET file locking off: live temps deleted", _dir.Temps().Length == 1 ? 0 : 1));
        Assert.True(code == 0, said);
        Assert.Contains("swept 0", said, StringComparison.Ordinal);
        Assert.Single(_dir.Temps());
    }

    [SkippableFact]
    public void A_failed_save_leaves_the_backup_as_it_was()
    {
        SkipIf(Strace.WhyUnavailable);
        string path = _dir.File("data.json");
        Assert.Equal(0, Child.Run("write", path, "100", "--backup").ExitCode);
        Assert.Equal(0, Child.Run("write", path, "200", "--backup").ExitCode);
        byte[] backup = File.ReadAllBytes(path + ".bak");

        // The renames of a save with a backup: the backup link over .bak, then the temp over the file. Fail the second.
        (int code, string said, _) = Strace.Run(["-e", "trace=rename", "-e", "inject=rename:error=EIO:when=2"], "write", path, "300", "--backup");

        Assert.True(code == 3, said);
        Assert.Equal(200, File.ReadAllBytes(path).Length);
        Assert.Equal(backup, File.ReadAllBytes(path + ".bak"));
        Assert.NotEqual(Inode(path), Inode(path + ".bak"));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".*"));
    }

    [SkippableFact]
    public void A_writer_killed_at_the_backups_rename_leaves_nothing_the_next_sweep_does_not_remove()
    {
        SkipIf(Strace.WhyUnavailable);
        string path = _dir.File("data.json");
        Assert.Equal(0, Child.Run("write", path, "100", "--backup").ExitCode);

        (_, _, _) = Strace.Run(["-e", "trace=rename", "-e", "inject=rename:signal=SIGKILL:when=1"], "write", path, "200", "--backup");
        Assert.NotEmpty(Directory.GetFiles(_dir.Path, ".data.json.bak.*.link"));

        Assert.Equal(0, Child.Run("sweep", path).ExitCode);

        Assert.Empty(Directory.GetFiles(_dir.Path, ".*"));
        Assert.Equal(100, File.ReadAllBytes(path).Length);
    }

    [SkippableFact]
    public void A_backup_copied_where_no_hard_link_is_allowed_keeps_the_files_mode()
    {
        SkipIf(Root.WhyUnavailable("setpriv"));
        Skip.IfNot(File.ReadAllText("/proc/sys/fs/protected_hardlinks").Trim() == "1", "needs fs.protected_hardlinks=1 to refuse the hard link");
        // root's file, readable by the group nobody is in; nobody may replace it (the folder is theirs to write),
        // but may not hard-link it: the backup falls back to a copy.
        string path = _dir.File("data.json");
        File.WriteAllBytes(path, Content.For(100));
        Sh.Must("chown", "0:65534", path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);

        (int code, string said) = AsNobody(Child.Dotnet, "exec", Child.HostDll, "write", path, "200", "--backup");

        Assert.True(code == 0, said);
        Assert.Equal(Content.For(100), File.ReadAllBytes(path + ".bak"));
        Assert.Equal("640", Sh.Must("stat", "-c", "%a", path + ".bak").Trim());
        Assert.NotEqual(Inode(path), Inode(path + ".bak"));
    }

    [SkippableFact]
    public void A_read_only_store_can_be_updated_again_by_its_owner()
    {
        SkipIf(Root.WhyUnavailable("setpriv"));
        // nobody's own store, read-only (0444), in nobody's own folder: the lock file takes the store's mode.
        string folder = _dir.File("nobody");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "counter.json"), "{\"N\":0}");
        File.SetUnixFileMode(Path.Combine(folder, "counter.json"), UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        Sh.Must("chown", "-R", "65534:65534", folder);

        (int first, string said1) = AsNobody(Child.Dotnet, "exec", Child.HostDll, "increment", folder, "1");
        (int second, string said2) = AsNobody(Child.Dotnet, "exec", Child.HostDll, "increment", folder, "1");

        Assert.True(first == 0, said1);
        Assert.True(second == 0, said2);
        Assert.Contains("\"N\":2", File.ReadAllText(Path.Combine(folder, "counter.json")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_save_that_cannot_keep_the_owner_keeps_the_group()
    {
        SkipIf(Root.WhyUnavailable("setpriv"));
        // root's file, shared with group 100 (users); nobody is in that group and may replace the file, not own it.
        string path = _dir.File("shared.json");
        File.WriteAllText(path, "{}");
        Sh.Must("chown", "0:100", path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);

        (int code, string said) = Sh.Run("setpriv", "--reuid=65534", "--regid=65534", "--groups=100", Child.Dotnet, "exec", Child.HostDll, "write", path, "64");

        Assert.True(code == 0, said);
        Assert.Equal("65534:100 660", Sh.Must("stat", "-c", "%u:%g %a", path).Trim());
    }

    [SkippableFact]
    public void A_FIFO_planted_as_the_backup_is_a_typed_error_not_a_hang_where_the_backup_is_copied()
    {
        SkipIf(Root.WhyUnavailable("setpriv"));
        Skip.IfNot(File.ReadAllText("/proc/sys/fs/protected_hardlinks").Trim() == "1", "needs fs.protected_hardlinks=1 to refuse the hard links");
        string path = _dir.File("data.json");
        File.WriteAllBytes(path, Content.For(100));
        Sh.Must("chown", "0:65534", path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        Sh.Must("mkfifo", path + ".bak");

        // timeout(1) ends a hung save, so that the test fails instead of hanging.
        (int code, string said) = AsNobody("timeout", "120", Child.Dotnet, "exec", Child.HostDll, "write", path, "200", "--backup");

        Assert.True(code == 3, said);
        Assert.Contains("not a regular file", said, StringComparison.Ordinal);
        Assert.Equal(Content.For(100), File.ReadAllBytes(path));
    }

    private int RaceIncrements(int times, IReadOnlyDictionary<string, string> environment, string[] names)
    {
        var children = names.Select(name => new LiveChild(environment, "increment-file", _dir.Path, name, times.ToString(CultureInfo.InvariantCulture))).ToArray();
        try
        {
            foreach (LiveChild child in children)
            {
                Assert.Equal(0, child.WaitForExit());
            }

            int acknowledged = children.Sum(c => c.Lines.Count(line => line.StartsWith("acked ", StringComparison.Ordinal)));
            Assert.Equal(names.Length * times, acknowledged);
            int final = int.Parse(Count().Match(File.ReadAllText(_dir.File("counter.json"))).Groups[1].Value, CultureInfo.InvariantCulture);
            return acknowledged - final;
        }
        finally
        {
            foreach (LiveChild child in children)
            {
                child.Dispose();
            }
        }
    }

    private string WaitForTemp(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (_dir.Temps() is [string temp])
            {
                return temp;
            }

            Thread.Sleep(5);
        }

        throw new TimeoutException("the writer never created its temp");
    }

    private static void SkipIf(string? why) => Skip.If(why is not null, why);

    private static (int Code, string Output) AsNobody(string program, params string[] args) =>
        Sh.Run("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", program, .. args]);

    private static string Inode(string path) => Sh.Must("stat", "-c", "%i", path).Trim();

    [GeneratedRegex("\"N\":(\\d+)")]
    private static partial Regex Count();
}
