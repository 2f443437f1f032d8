using DevRank.AtomicStore;
using DevRank.TestHost;

// A small, scriptable child process for the process-level tests: strace runs it, kill -9 ends it, several of it
// race each other. Each command prints what it did on stdout, so the parent knows what was acknowledged before a
// crash; it exits 0 on success and 3 when the operation threw (type and message on stdout).
try
{
    return args switch
    {
        ["write", string path, string size, .. var options] => Commands.Write(path, int.Parse(size, System.Globalization.CultureInfo.InvariantCulture), options),
        ["write-stream-and-hang", string path] => Commands.WriteAndHang(path),
        ["increment", string folder, string times] => Commands.Increment(folder, int.Parse(times, System.Globalization.CultureInfo.InvariantCulture)),
        ["increment-file", string folder, string fileName, string times] => Commands.IncrementFile(folder, fileName, int.Parse(times, System.Globalization.CultureInfo.InvariantCulture)),
        ["sweep", string path] => Commands.Sweep(path),
        ["hold-lock", string folder] => Commands.HoldLock(folder),
        ["update-async-from-pool", string folder, string callers, string timeoutMs] => Commands.UpdateAsyncFromPool(folder, int.Parse(callers, System.Globalization.CultureInfo.InvariantCulture), int.Parse(timeoutMs, System.Globalization.CultureInfo.InvariantCulture)),
        ["load-counter", string folder] => Commands.LoadCounter(folder),
        ["save-huge-string", string folder, string chars, string shape] => Commands.SaveHugeString(folder, int.Parse(chars, System.Globalization.CultureInfo.InvariantCulture), shape),
        ["save-shape", string folder, string shape] => Commands.SaveShape(folder, shape),
        ["save-loop", string folder, .. var options] => Commands.SaveLoop(folder, options),
        ["race-into-new-folder", string folder] => Commands.RaceIntoNewFolder(folder),
        ["jsonl-append", string folder, string tag, string count, .. var options] => JsonLinesCommands.Append(folder, tag, int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), options),
        ["jsonl-once", string folder, .. var what] => JsonLinesCommands.Once(folder, what),
        ["jsonl-compact", string folder, string rounds] => JsonLinesCommands.Compact(folder, int.Parse(rounds, System.Globalization.CultureInfo.InvariantCulture)),
        ["jsonl-burst", string folder, string threads, string each, .. var options] => JsonLinesCommands.Burst(folder, int.Parse(threads, System.Globalization.CultureInfo.InvariantCulture), int.Parse(each, System.Globalization.CultureInfo.InvariantCulture), options),
        ["tx-commit", string folder, string seq, .. var options] => TransactionCommands.Commit(folder, long.Parse(seq, System.Globalization.CultureInfo.InvariantCulture), options),
        ["tx-recover", string folder, .. var options] => TransactionCommands.Recover(folder, options),
        ["tx-loop", string folder, .. var options] => TransactionCommands.Loop(folder, options),
        ["tx-pingpong", string folder, string order, string ms] => TransactionCommands.PingPong(folder, order, int.Parse(ms, System.Globalization.CultureInfo.InvariantCulture)),
        _ => Commands.Usage(),
    };
}
catch (Exception ex) when (ex is AtomicStoreException or OperationCanceledException)
{
    Console.WriteLine($"error {ex.GetType().Name}: {ex.Message}");
    return 3;
}
