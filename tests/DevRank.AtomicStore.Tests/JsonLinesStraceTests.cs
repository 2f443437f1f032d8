using System.Globalization;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// The append protocol as the kernel sees it, from strace of the real child process: lock, open under the lock,
/// write, fsync, folder fsync for a new file, then the acknowledgement; a torn tail cut and flushed before the write;
/// one fsync shared by concurrent appends; none at the atomic-only level.
/// </summary>
public sealed class JsonLinesStraceTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string LogPath => _dir.File("log.jsonl");

    [SkippableFact]
    public void An_append_locks_then_opens_writes_and_flushes_the_file_and_its_new_entry_before_it_returns()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);

        (int code, string said, string[] trace) = Strace.Run(["-e", "trace=openat,flock,write,fsync,close"], "jsonl-append", _dir.Path, "x", "1");

        Assert.True(code == 0, said);
        var lines = trace.ToList();
        string all = string.Join('\n', trace);
        int locked = lines.FindIndex(l => l.Contains("flock(", StringComparison.Ordinal) && l.Contains(".log.jsonl.lock>", StringComparison.Ordinal) && l.Contains("LOCK_EX", StringComparison.Ordinal));
        int opened = lines.FindIndex(l => l.Contains("openat(", StringComparison.Ordinal) && l.Contains($"\"{LogPath}\"", StringComparison.Ordinal));
        int created = lines.FindIndex(l => l.Contains("openat(", StringComparison.Ordinal) && l.Contains($"\"{LogPath}\"", StringComparison.Ordinal) && l.Contains("O_CREAT", StringComparison.Ordinal));
        int written = lines.FindIndex(l => l.Contains("write(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        int flushed = lines.FindIndex(l => l.Contains("fsync(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        int folder = lines.FindIndex(Math.Max(flushed, 0), l => l.Contains("fsync(", StringComparison.Ordinal) && l.Contains($"<{_dir.Path}>", StringComparison.Ordinal));
        // .NET writes stdout through a dup of descriptor 1: find the acknowledgement by its text.
        int acked = lines.FindIndex(l => l.Contains("write(", StringComparison.Ordinal) && l.Contains("\"acked 0\\n\"", StringComparison.Ordinal));

        string order = $"lock={locked} open={opened} create={created} write={written} fsync(file)={flushed} fsync(folder)={folder} ack={acked}\n{all}";
        Assert.True(locked >= 0 && locked < opened, order);
        Assert.True(opened <= created && created < written, order);
        Assert.All(new[] { lines[opened], lines[created] }, open =>
        {
            Assert.Contains("O_APPEND", open, StringComparison.Ordinal);
            Assert.Contains("O_NOFOLLOW", open, StringComparison.Ordinal);
        });
        Assert.Contains("O_NONBLOCK", lines[opened], StringComparison.Ordinal);
        Assert.Contains("O_EXCL", lines[created], StringComparison.Ordinal);
        Assert.True(written < flushed && flushed < folder && folder < acked, order);
    }

    [SkippableFact]
    public void A_torn_tail_is_cut_and_flushed_before_the_append_writes_after_it()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string whole = "{\"Tag\":\"a\",\"N\":0}\n";
        File.WriteAllText(LogPath, whole + "{\"Tag\":\"a\",\"N\":1,\"Pay");

        (int code, string said, string[] trace) = Strace.Run(["-e", "trace=ftruncate,write,fsync"], "jsonl-append", _dir.Path, "b", "1");

        Assert.True(code == 0, said);
        var lines = trace.ToList();
        int cut = lines.FindIndex(l => l.Contains("ftruncate(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>, {whole.Length})", StringComparison.Ordinal));
        int flushed = lines.FindIndex(Math.Max(cut, 0), l => l.Contains("fsync(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        int written = lines.FindIndex(l => l.Contains("write(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        string order = $"ftruncate={cut} fsync={flushed} write={written}\n" + string.Join('\n', trace);
        Assert.True(cut >= 0 && cut < flushed && flushed < written, order);
        Assert.Equal(whole + "{\"Tag\":\"b\",\"N\":0}\n", File.ReadAllText(LogPath));
    }

    [SkippableFact]
    public void An_fsync_error_fails_the_append_and_takes_its_bytes_back_off_without_a_second_fsync()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string before = "{\"Tag\":\"a\",\"N\":0}\n";
        File.WriteAllText(LogPath, before);

        (int code, string said, string[] trace) = Strace.Run(
            ["-e", "trace=fsync,ftruncate,write", "-e", "inject=fsync:error=EIO:when=1"], "jsonl-append", _dir.Path, "b", "1");

        Assert.True(code == 3, said);
        Assert.Contains("AtomicWriteException", said, StringComparison.Ordinal);
        Assert.Contains("fsync) failed", said, StringComparison.Ordinal);
        Assert.Contains("cut off again", said, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(LogPath));
        Assert.Single(trace, l => l.Contains("fsync(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        Assert.Contains(trace, l => l.Contains("ftruncate(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>, {before.Length})", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void Concurrent_appends_share_their_fsyncs()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        const int Threads = 8;
        const int Each = 25;

        (int code, string said, string[] trace) = Strace.Run(["-e", "trace=fsync,write"], "jsonl-burst", _dir.Path, Threads.ToString(CultureInfo.InvariantCulture), Each.ToString(CultureInfo.InvariantCulture));

        Assert.True(code == 0, said);
        var lines = trace.ToList();
        int begin = lines.FindIndex(l => l.Contains("write(", StringComparison.Ordinal) && l.Contains("\"begin\\n\"", StringComparison.Ordinal));
        int fsyncs = lines.Skip(begin).Count(l => l.Contains("fsync(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        int writes = lines.Skip(begin).Count(l => l.Contains("write(", StringComparison.Ordinal) && l.Contains($"<{LogPath}>", StringComparison.Ordinal));
        output.WriteLine(Figures.Record("JSON Lines group commit", $"{Threads} threads x {Each} appends: writes / fsyncs", $"{writes} / {fsyncs}"));

        var log = JsonLinesFileStore.CreateWithReflection<List<LogLine>, LogLine>("log.jsonl");
        Assert.Equal(1 + (Threads * Each), log.Load(_dir.Path).Count);
        Assert.True(begin >= 0 && fsyncs > 0, string.Join('\n', trace));
        Assert.True(fsyncs <= Threads * Each / 2, $"{fsyncs} fsyncs for {Threads * Each} concurrent appends: they did not share them");
    }

    [SkippableFact]
    public void At_the_atomic_only_level_appends_flush_nothing()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);

        (int code, string said, string[] trace) = Strace.Run(["-e", "trace=fsync,fdatasync"], "jsonl-append", _dir.Path, "x", "3", "--atomic-only");

        Assert.True(code == 0, said);
        Assert.DoesNotContain(trace, l => l.Contains("fsync(", StringComparison.Ordinal) && l.Contains(_dir.Path, StringComparison.Ordinal));
        Assert.Equal(3, File.ReadAllLines(LogPath).Length);
    }
}
