using System.Globalization;
using System.Text.RegularExpressions;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// The protocol as the kernel sees it: the order of the system calls of one save, and what a save does when the
/// kernel makes one of them fail. strace runs the real child process; nothing is mocked.
/// </summary>
public sealed partial class StraceTests : IDisposable
{
    private const string Traced = "trace=openat,write,pwrite64,fsync,fdatasync,fcntl,rename,renameat,renameat2,close";
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void A_save_creates_writes_flushes_renames_then_flushes_the_folder_before_it_returns()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");

        (int code, string output, string[] trace) = Strace.Run(["-e", Traced], "write", path, "100000");

        Assert.True(code == 0, output);
        Assert.Equal(100_000, new FileInfo(path).Length);
        var calls = trace.Select(Strace.Parse).Where(c => c is not null).Select(c => c!.Value).ToList();
        string tempPrefix = Path.Combine(_dir.Path, ".users.json.");

        int create = calls.FindIndex(c => c.Call == "openat" && c.Args.Contains($"\"{tempPrefix}", StringComparison.Ordinal));
        Assert.True(create >= 0, "no openat of a temp file:\n" + string.Join('\n', trace));
        Assert.Contains("O_CREAT", calls[create].Args, StringComparison.Ordinal);
        Assert.Contains("O_EXCL", calls[create].Args, StringComparison.Ordinal);
        Assert.Contains("O_CLOEXEC", calls[create].Args, StringComparison.Ordinal);

        bool OnTemp((string Call, string Args) c) => c.Args.Contains("<" + tempPrefix, StringComparison.Ordinal);
        int firstWrite = calls.FindIndex(create, c => c.Call is "write" or "pwrite64" && OnTemp(c));
        int lastWrite = calls.FindLastIndex(c => c.Call is "write" or "pwrite64" && OnTemp(c));
        int fsyncTemp = calls.FindIndex(create, c => c.Call is "fsync" or "fdatasync" && OnTemp(c));
        int rename = calls.FindIndex(create, c => c.Call.StartsWith("rename", StringComparison.Ordinal)
            && c.Args.Contains($"\"{tempPrefix}", StringComparison.Ordinal)
            && c.Args.Contains($"\"{path}\"", StringComparison.Ordinal));
        int fsyncFolder = calls.FindIndex(Math.Max(rename, 0), c => c.Call == "fsync" && c.Args.Contains($"<{_dir.Path}>)", StringComparison.Ordinal));
        int acknowledged = calls.FindIndex(Math.Max(fsyncFolder, 0), c => c.Call == "write" && c.Args.Contains("\"ok\\n\"", StringComparison.Ordinal));

        string order = $"create={create} firstWrite={firstWrite} lastWrite={lastWrite} fsync(temp)={fsyncTemp} rename={rename} fsync(folder)={fsyncFolder} ack={acknowledged}";
        Assert.True(create < firstWrite, order);
        Assert.True(lastWrite < fsyncTemp, order);
        Assert.True(fsyncTemp < rename, order);
        Assert.True(rename < fsyncFolder, order);
        Assert.True(fsyncFolder < acknowledged, order);
        Assert.DoesNotContain(calls, c => c.Call == "fsync" && OnTemp(c) && calls.IndexOf(c) > rename);
    }

    [SkippableTheory]
    [InlineData("delay_enter=1500000")]
    [InlineData("error=EIO:delay_enter=1500000")]
    public void A_save_into_a_folder_another_thread_just_created_returns_only_after_that_folder_is_flushed_into_its_parent(string fault)
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        // Thread A creates new/ and is held for 1.5 s just before it flushes new/'s entry into the folder; thread B
        // saves into new/ meanwhile. B may return only after that flush: before it, a power cut can take new/, and
        // B's acknowledged file with it. When the flush fails, B's content is in place but its path may not be.
        (int code, string output, string[] trace) = Strace.Run(
            ["-e", "trace=fsync,write", "-e", $"inject=fsync:{fault}:when=1"], "race-into-new-folder", _dir.Path);

        var lines = trace.ToList();
        int flush = lines.FindLastIndex(line => line.Contains("fsync(", StringComparison.Ordinal)
            && (line.Contains($"<{_dir.Path}>)", StringComparison.Ordinal) || line.Contains($"<{_dir.Path}> <unfinished", StringComparison.Ordinal)));
        Assert.True(flush >= 0, "no fsync of the parent of new/:\n" + string.Join('\n', trace));
        // strace pads a pid to the width of the largest it has seen ("1215  fsync(" beside "12345 fsync("): compare words.
        string pid = trace[flush].Split(' ', 2)[0];
        int flushed = trace[flush].Contains(" = ", StringComparison.Ordinal)
            ? flush
            : lines.FindIndex(flush, line => line.Split(' ', 2)[0] == pid && line.Split(' ', 2)[1].TrimStart().StartsWith("<... fsync resumed>", StringComparison.Ordinal));
        int returned = lines.FindIndex(line => line.Contains(" write(", StringComparison.Ordinal) && line.Contains("\"b ", StringComparison.Ordinal));

        Assert.True(flushed >= 0 && returned >= 0, $"flushed={flushed} returned={returned}:\n" + string.Join('\n', trace));
        Assert.False(trace[returned].Split(' ', 2)[0] == pid, "the folder's creator and the second saver must be two threads");
        Assert.True(flushed < returned, $"B returned from its save (line {returned}) before A flushed the new folder's parent (line {flushed})");
        string b = Path.Combine(_dir.Path, "new", "b.json");
        Assert.True(File.Exists(b));
        if (fault.StartsWith("error", StringComparison.Ordinal))
        {
            Assert.True(code == 3, output);
            Assert.Contains($"a failed AtomicWriteException: Could not save '{Path.Combine(_dir.Path, "new", "a.json")}'", output, StringComparison.Ordinal);
            Assert.Contains($"b failed DurabilityUnknownException: The new content of '{b}' is in place", output, StringComparison.Ordinal);
            Assert.Contains("by another save of this process", output, StringComparison.Ordinal);
        }
        else
        {
            Assert.True(code == 0, output);
            Assert.True(File.Exists(Path.Combine(_dir.Path, "new", "a.json")));
        }
    }

    [SkippableTheory]
    [InlineData("objects")]
    [InlineData("values")]
    public void A_store_writes_its_temp_in_whole_pages_except_the_last_write(string shape)
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);

        (int code, string output, string[] trace) = Strace.Run(["-e", "trace=pwrite64,write"], "save-shape", _dir.Path, shape);

        Assert.True(code == 0, output);
        string file = _dir.File(shape + ".json");
        string tempPrefix = Path.Combine(_dir.Path, "." + shape + ".json.");
        var writes = trace.Select(Strace.Parse).Where(c => c is not null).Select(c => c!.Value)
            .Where(c => c.Call is "pwrite64" or "write" && c.Args.Contains("<" + tempPrefix, StringComparison.Ordinal))
            .Select(c => PositionalWrite().Match(c.Args))
            .ToList();
        // At least the whole pages and the tail. (The first save of a process can reach the file in one piece:
        // Serialize(Stream) tries its fast path into one buffer first.)
        Assert.True(writes.Count >= 2, $"{writes.Count} writes to the temp:\n" + string.Join('\n', trace));
        Assert.All(writes, w => Assert.True(w.Success, "not a positional write"));

        var spans = writes.Select(w => (Length: long.Parse(w.Groups["length"].Value, CultureInfo.InvariantCulture), Offset: long.Parse(w.Groups["offset"].Value, CultureInfo.InvariantCulture)))
            .OrderBy(w => w.Offset)
            .ToList();
        long page = Environment.SystemPageSize;
        Assert.All(spans, w => Assert.True(w.Offset % page == 0, $"a write at offset {w.Offset}"));
        Assert.All(spans.SkipLast(1), w => Assert.True(w.Length % page == 0, $"a write of {w.Length} bytes at {w.Offset}"));
        // Back to back, the whole file.
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.Equal(pair.First.Offset + pair.First.Length, pair.Second.Offset));
        Assert.Equal(new FileInfo(file).Length, spans[^1].Offset + spans[^1].Length);
    }

    [GeneratedRegex(@", (?<length>\d+), (?<offset>\d+)\)\s+= \d+$")]
    private static partial Regex PositionalWrite();

    [SkippableFact]
    public void An_fsync_error_on_the_temp_fails_the_save_before_any_rename()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");

        (int code, string output, string[] trace) = Strace.Run(
            ["-e", "trace=fsync,rename,renameat,renameat2", "-e", "inject=fsync:error=EIO:when=1"], "write", path, "5000");

        Assert.True(code == 3, output);
        Assert.Contains("AtomicWriteException", output, StringComparison.Ordinal);
        Assert.Contains(path, output, StringComparison.Ordinal);
        Assert.Contains("fsync", output, StringComparison.Ordinal);
        Assert.DoesNotContain(trace, line => Strace.Parse(line)?.Call.StartsWith("rename", StringComparison.Ordinal) == true);
        // Exactly one fsync: the failed one is never retried.
        Assert.Single(trace, line => Strace.Parse(line)?.Call == "fsync");
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void An_fsync_error_on_the_folder_says_the_content_is_in_place_but_not_known_durable()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");

        (int code, string output, _) = Strace.Run(
            ["-e", "trace=fsync", "-e", "inject=fsync:error=EIO:when=2"], "write", path, "5000");

        Assert.True(code == 3, output);
        Assert.Contains("DurabilityUnknownException", output, StringComparison.Ordinal);
        Assert.Contains("in place", output, StringComparison.Ordinal);
        Assert.Contains(path, output, StringComparison.Ordinal);
        Assert.Equal(5000, new FileInfo(path).Length);
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void A_cross_device_rename_is_a_typed_error_and_never_a_copy()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");

        (int code, string output, string[] trace) = Strace.Run(
            ["-e", "trace=rename,renameat,renameat2,openat", "-e", "inject=rename,renameat,renameat2:error=EXDEV"], "write", path, "5000");

        Assert.True(code == 3, output);
        Assert.Contains("AtomicWriteException", output, StringComparison.Ordinal);
        Assert.Contains("EXDEV", output, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
        // No fallback copy: the target itself was never opened for writing.
        Assert.DoesNotContain(trace, line => line.Contains($"openat(AT_FDCWD, \"{path}\", O_WRONLY", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_write_error_fails_the_save_and_leaves_no_temp()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");

        (int code, string output, _) = Strace.Run(
            ["-e", "trace=pwrite64,write", "-e", "inject=pwrite64:error=ENOSPC"], "write", path, "5000");

        Assert.True(code == 3, output);
        Assert.Contains("AtomicWriteException", output, StringComparison.Ordinal);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [SkippableTheory]
    [InlineData("save")]
    [InlineData("update")]
    public void A_plain_store_write_pays_one_failed_lstat_of_the_journal_for_transactions(string operation)
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        string[] args = operation == "save" ? ["save-shape", _dir.Path, "objects"] : ["increment", _dir.Path, "1"];

        (int code, string output, string[] trace) = Strace.Run(["-e", "trace=statx,newfstatat,lstat,stat,openat,access"], args);

        Assert.True(code == 0, output);
        string journal = Path.Combine(_dir.Path, ".devrank-commit.journal");
        string[] looks = [.. trace.Where(l => l.Contains($"\"{journal}", StringComparison.Ordinal))];
        string only = Assert.Single(looks);
        Assert.Contains("ENOENT", only, StringComparison.Ordinal);
        // One statx, no open: the cost a transaction adds to a save or an update that meets no journal.
        Assert.Contains("statx(", only, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_commit_flushes_every_temp_then_its_journal_and_folders_before_any_store_rename_and_acknowledges_last()
    {
        Skip.If(Strace.WhyUnavailable is not null, Strace.WhyUnavailable);
        Assert.Equal(0, Child.Run("tx-commit", _dir.Path, "1", "--small").ExitCode);

        (int code, string output, string[] trace) = Strace.Run(["-e", "trace=openat,pwrite64,write,fsync,rename,unlink"], "tx-commit", _dir.Path, "2", "--small", "--marker");

        Assert.True(code == 0, output);
        var calls = trace.Select(Strace.Parse).Where(c => c is not null).Select(c => c!.Value).ToList();
        int begin = calls.FindIndex(c => c.Call == "write" && c.Args.Contains("\"begin\\n\"", StringComparison.Ordinal));
        string root = _dir.Path, state = Path.Combine(_dir.Path, "state");
        string journal = Path.Combine(root, ".devrank-commit.journal");
        bool IsTemp(string args) => TxTemp().IsMatch(args);
        int[] tempFsyncs = [.. Indexes(c => c.Call == "fsync" && IsTemp(c.Args))];
        int journalFsync = calls.FindIndex(begin, c => c.Call == "fsync" && c.Args.Contains($"<{journal}-new>", StringComparison.Ordinal));
        int journalRename = calls.FindIndex(begin, c => c.Call == "rename" && c.Args.Contains($"\"{journal}-new\", \"{journal}\"", StringComparison.Ordinal));
        int rootFlush = calls.FindIndex(Math.Max(journalRename, 0), c => c.Call == "fsync" && c.Args.Contains($"<{root}>", StringComparison.Ordinal));
        int[] storeRenames = [.. Indexes(c => c.Call == "rename" && IsTemp(c.Args))];
        int stateFlushBefore = calls.FindIndex(begin, c => c.Call == "fsync" && c.Args.Contains($"<{state}>", StringComparison.Ordinal));
        int stateFlushAfter = calls.FindLastIndex(c => c.Call == "fsync" && c.Args.Contains($"<{state}>", StringComparison.Ordinal));
        int rootFlushAfter = calls.FindLastIndex(c => c.Call == "fsync" && c.Args.Contains($"<{root}>", StringComparison.Ordinal));
        int unlink = calls.FindIndex(begin, c => c.Call == "unlink" && c.Args.Contains($"\"{journal}\"", StringComparison.Ordinal));
        int ack = calls.FindIndex(begin, c => c.Call == "write" && c.Args.Contains("\"ok\\n\"", StringComparison.Ordinal));

        string order = $"temp fsyncs={string.Join(",", tempFsyncs)} state flush={stateFlushBefore} journal fsync={journalFsync} journal rename={journalRename} root flush={rootFlush} store renames={string.Join(",", storeRenames)} flushes after={rootFlushAfter},{stateFlushAfter} unlink={unlink} ack={ack}";
        Assert.Equal(4, tempFsyncs.Length);
        Assert.Equal(4, storeRenames.Length);
        Assert.True(tempFsyncs.Max() < stateFlushBefore && stateFlushBefore < journalFsync, order);
        Assert.True(journalFsync < journalRename && journalRename < rootFlush && rootFlush < storeRenames.Min(), order);
        Assert.True(storeRenames.Max() < rootFlushAfter && storeRenames.Max() < stateFlushAfter, order);
        Assert.True(Math.Max(rootFlushAfter, stateFlushAfter) < unlink && unlink < ack, order);

        IEnumerable<int> Indexes(Func<(string Call, string Args), bool> match) =>
            calls.Select((c, i) => (c, i)).Where(x => x.i > begin && match(x.c)).Select(x => x.i);
    }

    [GeneratedRegex(@"\.ledger-[a-d]\.json\.[0-9a-f]{16}\.txn")]
    private static partial Regex TxTemp();
}
