using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 4: the kernel fails a save's system call on demand (strace fault injection), or the disk is really full
/// (a small tmpfs). Every failed save names the file, keeps the previous content, leaves no temp, and the next
/// save after the fault clears succeeds.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Faults() => new()
    {
        { "pwrite64:error=ENOSPC", "AtomicWriteException" },
        { "pwrite64:error=EIO", "AtomicWriteException" },
        { "fsync:error=EIO:when=1", "AtomicWriteException" },
        { "rename:error=EIO", "AtomicWriteException" },
        { "rename:error=EXDEV", "AtomicWriteException" },
        { "fsync:error=EIO:when=2", "DurabilityUnknownException" },
    };

    [SkippableTheory]
    [MemberData(nameof(Faults))]
    public void An_injected_fault_fails_the_save_cleanly_and_the_next_save_succeeds(string fault, string exception)
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string path = _dir.File("users.json");
        File.WriteAllText(path, "previous");
        string call = fault.Split(':')[0];

        (int code, string said, _) = Strace.Run(["-e", $"trace={call}", "-e", $"inject={fault}"], "write", path, "4096");

        Assert.True(code == 3, said);
        Assert.Contains(exception, said, StringComparison.Ordinal);
        Assert.Contains(path, said, StringComparison.Ordinal);
        Assert.Empty(_dir.Temps());
        if (exception == "DurabilityUnknownException")
        {
            Assert.Equal(4096, new FileInfo(path).Length); // in place, durability unknown
        }
        else
        {
            Assert.Equal("previous", File.ReadAllText(path));
        }

        Assert.Equal(0, Child.Run("write", path, "2048").ExitCode);
        Assert.Equal(2048, new FileInfo(path).Length);
        output.WriteLine(Figures.Record("injected faults", fault, $"{exception}, target {(exception == "DurabilityUnknownException" ? "new (reported)" : "intact")}, 0 temps, next save ok"));
    }

    [SkippableTheory]
    [InlineData("save-shape", "objects.json")]
    [InlineData("increment", "counter.json")]
    public void A_failed_flush_of_a_new_folder_stops_the_save_and_says_that_nothing_was_written(string command, string fileName)
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string folder = _dir.File("new");
        string path = Path.Combine(folder, fileName);
        string[] args = command == "save-shape" ? [command, folder, "objects"] : [command, folder, "1"];

        // The first fsync of a save (or an update) is the one that makes the new folder's entry durable in its parent.
        (int code, string said, string[] trace) = Strace.Run(["-e", "trace=fsync,rename", "-e", "inject=fsync:error=EIO:when=1"], args);

        Assert.True(code == 3, said);
        Assert.Contains("AtomicWriteException", said, StringComparison.Ordinal);
        Assert.Contains(path, said, StringComparison.Ordinal);
        Assert.Contains($"the folder '{folder}' was created, but flushing its parent", said, StringComparison.Ordinal);
        Assert.Contains("nothing was written", said, StringComparison.Ordinal);
        Assert.DoesNotContain("is in place", said, StringComparison.Ordinal);
        Assert.Single(trace, line => line.Contains("fsync(", StringComparison.Ordinal)); // never retried
        Assert.DoesNotContain(trace, line => line.Contains("rename(", StringComparison.Ordinal));
        Assert.False(File.Exists(path));
        Assert.Empty(_dir.Temps());

        Assert.Equal(0, Child.Run(args).ExitCode);
        Assert.True(File.Exists(path));
        output.WriteLine(Figures.Record("injected faults", $"fsync:error=EIO on a new folder's parent ({command})", "AtomicWriteException (CreateFolder), nothing written, 0 temps, next save ok"));
    }

    [SkippableFact]
    public void A_really_full_disk_fails_the_save_cleanly_and_a_smaller_save_then_succeeds()
    {
        string? why = Root.WhyUnavailable("mount");
        Skip.If(why is not null, why);
        string mount = _dir.File("small");
        Directory.CreateDirectory(mount);
        Sh.Must("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount);
        try
        {
            string path = Path.Combine(mount, "users.json");
            byte[] previous = new byte[100 * 1024];
            Array.Fill(previous, (byte)'p');
            AtomicFile.WriteAllBytes(path, previous);

            var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllBytes(path, new byte[1024 * 1024]));

            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Equal(previous, File.ReadAllBytes(path));
            Assert.Empty(Directory.GetFiles(mount, ".*.tmp"));

            AtomicFile.WriteAllBytes(path, "small enough"u8);
            Assert.Equal("small enough", File.ReadAllText(path));
            output.WriteLine(Figures.Record("injected faults", "real full disk (tmpfs 256k)", $"{ex.Stage}: target intact, 0 temps, next save ok"));
        }
        finally
        {
            Sh.Run("umount", mount);
        }
    }
}
