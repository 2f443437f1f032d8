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
