using System.Diagnostics;
using System.Globalization;
using DevRank.AtomicStore;
using DevRank.Sample.Job;
using DevRank.Sample.Source;
using DevRank.Sample.Stores;

namespace DevRank.Sample.Commands;

/// <summary>The outcome of a crash demo.</summary>
internal sealed record CrashReport
{
    public int Kills { get; init; }
    public int Completed { get; init; }
    public int ChildFailures { get; init; }
    public int CorruptFiles { get; init; }
    public int WorkLost { get; init; }
    public int WorkRedone { get; init; }
    public int InvariantViolations { get; init; }
    public int KilledMidSave { get; init; }
    public int Acknowledged { get; init; }
    public int AcknowledgedAppends { get; init; }
    public int FinalUsers { get; init; }
    public int FinalPending { get; init; }
    public TimeSpan Elapsed { get; init; }
    public List<string> Problems { get; init; } = [];

    public bool Passed => CorruptFiles == 0 && WorkLost == 0 && WorkRedone == 0 && InvariantViolations == 0 && ChildFailures == 0;
}

/// <summary>
/// Runs the job as a child process, kills it with SIGKILL at random moments, restarts it, and checks after every kill
/// that no store is corrupt and no acknowledged work is lost or redone.
/// <para>
/// The child runs with <c>--ack</c>: it prints a line for each piece of work once every save it needs has returned
/// (so it is durable). Only those lines count, and only the ones the parent read before the child died.
/// <b>Work lost</b> means, for an acknowledged <c>user L T TC kept|below</c>: <c>tracker.json</c> has no time for
/// L or one older than T; or (kept) <c>users.json</c> holds L with an <c>lu</c> older than T, or lacks L although
/// TC is above <c>threshold.json</c> (a legitimately pruned user has TC at or below the bar). For an acknowledged
/// <c>repo K</c>: K is missing from <c>visited.json</c>, or one of its non-blocked contributors is missing from
/// <c>tracker.json</c>. <b>Work redone</b> means a login or repository acknowledged by two different runs (the demo
/// never refreshes users, so each is done once).
/// </para>
/// </summary>
internal sealed class CrashDemo(string dataDir, int kills, int seed, Action<string>? log = null, Generation layout = Generation.DevRank)
{
    public const int InitialWorld = 3000;
    public const int WorldGrowth = 1500;
    public const int Cap = 1500;
    private const int MaxKillDelayMs = 700;

    private readonly Dictionary<string, int> _userAckedBy = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _repoAckedBy = new(StringComparer.Ordinal);
    private readonly List<(string Login, IsoTimestamp Time, int Tc, bool Kept)> _userAcks = [];
    private readonly List<(string Run, int Batch)> _historyAcks = [];
    private readonly List<string> _repoAcks = [];
    private readonly List<string> _problems = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _contributors = new(StringComparer.Ordinal);
    private int _worldUsers = InitialWorld;
    private int _run;
    private int _lost;
    private int _redone;
    private int _corrupt;
    private int _violations;
    private int _midSave;

    /// <summary>The file that marks a folder as the demo's own, which every demo empties before it starts.</summary>
    public const string MarkerFileName = ".devrank-crash-demo";

    /// <summary>
    /// Makes <paramref name="dataDir"/> an empty folder of the demo's own, holding only its marker. A folder the demo
    /// made (it has the marker; or it is the default folder, <paramref name="ownByDefault"/>, which no one else uses)
    /// is emptied. Any other folder that is not empty, a real data folder above all, is refused; with
    /// <paramref name="force"/> it is moved aside whole, by one rename, to <c>&lt;folder&gt;.bak</c>, and nothing in it
    /// is deleted or changed. Not the stores' <c>KeepBackup</c>: that keeps the previous version of one file when it is
    /// replaced, and the demo replaces no file here, it needs the folder empty.
    /// </summary>
    /// <returns>Where the folder's previous content went, when it was moved aside.</returns>
    /// <exception cref="UsageException">The folder is not the demo's and not empty, and <paramref name="force"/> is false, or it could not be moved aside; nothing was changed.</exception>
    public static string? PrepareFolder(string dataDir, bool ownByDefault, bool force)
    {
        string? movedTo = null;
        if (Directory.Exists(dataDir) && Directory.EnumerateFileSystemEntries(dataDir).Any())
        {
            if (ownByDefault || File.Exists(Path.Combine(dataDir, MarkerFileName)))
            {
                Directory.Delete(dataDir, recursive: true);
            }
            else if (!force)
            {
                throw new UsageException(
                    $"crash-demo empties its data folder first, and {dataDir} is not empty and not one it made (it has no {MarkerFileName} file). "
                    + $"Use another folder, or add --force to move this one aside to {Aside(dataDir)} first.");
            }
            else
            {
                movedTo = Aside(dataDir);
                if (Path.Exists(movedTo))
                {
                    throw new UsageException($"crash-demo --force would move {dataDir} aside to {movedTo}, which already exists; nothing was changed.");
                }

                try
                {
                    Directory.Move(dataDir, movedTo);
                }
                catch (IOException ex)
                {
                    throw new UsageException($"crash-demo --force could not move {dataDir} aside to {movedTo} ({ex.Message}); nothing was changed.");
                }
            }
        }

        Directory.CreateDirectory(dataDir);
        File.WriteAllText(Path.Combine(dataDir, MarkerFileName), "Made by DevRank.Sample crash-demo, which empties this folder whenever it starts.\n");
        return movedTo;
    }

    private static string Aside(string dataDir) => Path.TrimEndingDirectorySeparator(dataDir) + ".bak";

    public CrashReport Run()
    {
        var clock = Stopwatch.StartNew();
        var random = new Random(seed);
        int killed = 0, completed = 0, failures = 0;
        while (killed < kills)
        {
            int delay = random.Next(MaxKillDelayMs);
            (bool wasKilled, int exitCode, string output) = RunChild(killAfterMs: delay);
            if (wasKilled)
            {
                killed++;
                // A temp file beside a store means the kill landed inside a save; the next save sweeps it.
                if (Directory.Exists(dataDir) && Directory.EnumerateFiles(dataDir, ".*.tmp").Any())
                {
                    _midSave++;
                }
            }
            else if (exitCode == 0)
            {
                // The child finished its cycle before the kill: grow the world so the next one has work to do.
                completed++;
                _worldUsers += WorldGrowth;
            }
            else
            {
                failures++;
                _problems.Add($"run {_run}: the child exited with {exitCode}: {Tail(output)}");
            }

            Check(completed: !wasKilled);
            log?.Invoke(string.Create(CultureInfo.InvariantCulture,
                $"kill {killed}/{kills}: run {_run} {(wasKilled ? $"killed after {delay} ms" : $"exited {exitCode}")}; acknowledged {_userAcks.Count} users, {_repoAcks.Count} repos; corrupt {_corrupt}, lost {_lost}, redone {_redone}"));
        }

        // Finally let one run finish: the folder must recover to a complete, consistent state.
        (_, int finalCode, string finalOutput) = RunChild(killAfterMs: null);
        if (finalCode != 0)
        {
            failures++;
            _problems.Add($"final run: the child exited with {finalCode}: {Tail(finalOutput)}");
        }

        Check(completed: finalCode == 0);
        Tracker tracker = Tracker.LoadOrCreate(dataDir);
        return new CrashReport
        {
            Kills = killed,
            Completed = completed,
            ChildFailures = failures,
            CorruptFiles = _corrupt,
            WorkLost = _lost,
            WorkRedone = _redone,
            InvariantViolations = _violations,
            KilledMidSave = _midSave,
            Acknowledged = _userAcks.Count + _repoAcks.Count + _historyAcks.Count,
            AcknowledgedAppends = _historyAcks.Count,
            FinalUsers = Layout.UsersOf(layout).LoadOrCreate(dataDir).Count,
            FinalPending = tracker.Values.Count(static t => t is null),
            Elapsed = clock.Elapsed,
            Problems = _problems,
        };
    }

    /// <summary>How to start this same program again: its apphost, or <c>dotnet exec</c> on its dll.</summary>
    public static (string Program, List<string> Args) Self()
    {
        string? path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path).StartsWith("DevRank.Sample", StringComparison.Ordinal))
        {
            return (path, []);
        }

        // Under `dotnet exec`, `dotnet test` or a test host the process is dotnet itself.
        string dotnet = path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet"
            ? path
            : Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        return (dotnet, ["exec", Path.Combine(AppContext.BaseDirectory, "DevRank.Sample.dll")]);
    }

    private (bool Killed, int ExitCode, string Output) RunChild(int? killAfterMs)
    {
        _run++;
        (string program, List<string> prefix) = Self();
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in prefix.Concat(ChildArgs()))
        {
            info.ArgumentList.Add(arg);
        }

        var lines = new List<string>();
        using var started = new ManualResetEventSlim();
        using Process child = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(e.Data);
            }

            if (e.Data == "started")
            {
                started.Set();
            }
        };
        child.BeginOutputReadLine();
        Task<string> stderr = child.StandardError.ReadToEndAsync();

        bool killed = false;
        if (killAfterMs is { } delay)
        {
            // The kill lands at a random moment of the job's work, after the runtime has started.
            started.Wait(TimeSpan.FromSeconds(60));
            if (!child.WaitForExit(delay))
            {
                child.Kill(); // SIGKILL: nothing in the child gets to clean up.
                killed = true;
            }
        }
        else if (!child.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            child.Kill();
            killed = true;
            _problems.Add("final run: did not finish in 5 minutes");
        }

        child.WaitForExit(); // Also drains stdout: every line the child wrote before it died is read.
        string[] output;
        lock (lines)
        {
            output = [.. lines];
        }

        Record(output);
        return (killed, killed ? -1 : child.ExitCode, string.Join('\n', output) + stderr.Result);
    }

    private string[] ChildArgs() =>
    [
        "run", "--data", dataDir, "--ack",
        "--users", _worldUsers.ToString(CultureInfo.InvariantCulture),
        "--max-users", Cap.ToString(CultureInfo.InvariantCulture),
        "--seed", seed.ToString(CultureInfo.InvariantCulture),
        "--batch", "25", "--repo-batch", "10",
        "--layout", layout == Generation.DevIndex ? "devindex" : "devrank",
    ];

    private void Record(string[] lines)
    {
        foreach (string line in lines)
        {
            string[] parts = line.Split(' ');
            switch (parts)
            {
                case ["user", string login, string time, string tc, string outcome]:
                    if (_userAckedBy.TryGetValue(login, out int byRun) && byRun != _run)
                    {
                        _redone++;
                        _problems.Add($"run {_run} updated {login} again (acknowledged by run {byRun})");
                    }

                    _userAckedBy[login] = _run;
                    _userAcks.Add((login, IsoTimestamp.Parse(time), int.Parse(tc, CultureInfo.InvariantCulture), outcome == "kept"));
                    break;
                case ["history", string run, string batch]:
                    // A run id is new in every process, so a record acknowledged twice is impossible by
                    // construction; the check counts how often each is in the file.
                    _historyAcks.Add((run, int.Parse(batch, CultureInfo.InvariantCulture)));
                    break;
                case ["repo", string key]:
                    if (_repoAckedBy.TryGetValue(key, out int repoRun) && repoRun != _run)
                    {
                        _redone++;
                        _problems.Add($"run {_run} crawled {key} again (acknowledged by run {repoRun})");
                    }

                    _repoAckedBy[key] = _run;
                    _repoAcks.Add(key);
                    break;
            }
        }
    }

    /// <summary>Loads every store (a typed error = a corrupt file) and checks every acknowledgement so far.</summary>
    private void Check(bool completed)
    {
        var loaded = new Dictionary<string, object>();
        IReadOnlyList<StoreKind> kinds = [.. DataFolder.Kinds(layout), DataFolder.HistoryKind];
        foreach (StoreKind kind in kinds)
        {
            if (!File.Exists(Path.Combine(dataDir, kind.FileName)))
            {
                continue;
            }

            try
            {
                loaded[kind.FileName] = kind.Load(dataDir, kind.FileName);
            }
            catch (StoreLoadException ex)
            {
                _corrupt++;
                _problems.Add($"run {_run}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        if (loaded.Count < kinds.Count(k => File.Exists(Path.Combine(dataDir, k.FileName))))
        {
            return;
        }

        List<UserRecord> users = Layout.UsersOf(layout).LoadOrCreate(dataDir);
        Tracker tracker = Tracker.LoadOrCreate(dataDir);
        var visited = new HashSet<string>(Visited.LoadOrCreate(dataDir), StringComparer.Ordinal);
        var blocked = new HashSet<string>(Blocklist.LoadOrCreate(dataDir), StringComparer.OrdinalIgnoreCase);
        int threshold = Threshold.LoadOrCreate(dataDir).Tc;
        var byLogin = new Dictionary<string, UserRecord>(StringComparer.OrdinalIgnoreCase);
        foreach (UserRecord user in users)
        {
            byLogin.TryAdd(user.Login, user);
        }

        int lost = 0;
        foreach ((string login, IsoTimestamp time, int tc, bool kept) in _userAcks)
        {
            string? why = null;
            if (!tracker.TryGetValue(login, out IsoTimestamp? stamped) || stamped is null || stamped < time)
            {
                why = $"tracker.json has {(stamped is null ? "no time" : stamped.Value.Text)} for {login}, acknowledged at {time}";
            }
            else if (kept && byLogin.TryGetValue(login, out UserRecord? user) && (user.LastUpdated is null || user.LastUpdated < time))
            {
                why = $"the users file has an older record of {login} than the one acknowledged at {time}";
            }
            else if (kept && !byLogin.ContainsKey(login) && tc > threshold)
            {
                why = $"{login} (tc {tc}) was acknowledged as kept but is missing from the users file, and the bar is only {threshold}";
            }

            if (why is not null)
            {
                lost++;
                _problems.Add($"run {_run}: work lost: {why}");
            }
        }

        foreach (string key in _repoAcks)
        {
            string? why = !visited.Contains(key) ? $"{key} is missing from visited.json"
                : ContributorsOf(key).FirstOrDefault(c => !blocked.Contains(c) && !tracker.ContainsKey(c)) is { } missing
                    ? $"{missing}, a contributor of {key}, is missing from tracker.json"
                    : null;
            if (why is not null)
            {
                lost++;
                _problems.Add($"run {_run}: work lost: {why}");
            }
        }

        // history.jsonl: every acknowledged append is in the file exactly once (a kill mid-append may leave a torn
        // last line, which the read skips: it was never acknowledged).
        var inHistory = new Dictionary<(string, int), int>();
        foreach (BatchRecord record in History.TryLoad(dataDir, out History? history) ? history : [])
        {
            inHistory[(record.Run, record.Batch)] = inHistory.GetValueOrDefault((record.Run, record.Batch)) + 1;
        }

        foreach ((string run, int batch) in _historyAcks)
        {
            int times = inHistory.GetValueOrDefault((run, batch));
            if (times != 1)
            {
                lost++;
                _problems.Add($"run {_run}: work lost: history.jsonl holds batch {batch} of run {run} {times} times, acknowledged once");
            }
        }

        // Each check re-examines every acknowledgement so far: count each lost item once, at its worst.
        _lost = Math.Max(_lost, lost);
        List<string> violations = Invariants.Check(dataDir, Cap, completed);
        _violations += violations.Count;
        _problems.AddRange(violations.Select(v => $"run {_run}: invariant: {v}"));
    }

    /// <summary>The contributors of an acknowledged repository, from the same world the child used.</summary>
    private IReadOnlyList<string> ContributorsOf(string key)
    {
        if (_contributors.TryGetValue(key, out IReadOnlyList<string>? known))
        {
            return known;
        }

        var world = new World(seed, _worldUsers);
        for (int i = _contributors.Count; i < world.RepoCount; i++)
        {
            _contributors[world.RepoKey(i)] = world.Contributors(i);
        }

        return _contributors.TryGetValue(key, out known) ? known : throw new InvalidOperationException($"{key} is not in the world");
    }

    private static string Tail(string output) => output.Length > 600 ? output[^600..] : output;
}
