using System.Globalization;
using DevRank.Sample.Commands;
using DevRank.Sample.Job;
using DevRank.Sample.Stores;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DevRank.Sample;

/// <summary>The console side of each command: options in, progress and tables out.</summary>
internal static class Ui
{
    private static IAnsiConsole Out => AnsiConsole.Console;

    public static int Run(Cli cli, string dataDir)
    {
        cli.Allow("--data", "--users", "--max-users", "--batch", "--repo-batch", "--seed", "--refresh-hours", "--no-progress", "--ack", "--layout");
        var options = new JobOptions
        {
            DataDir = dataDir,
            WorldUsers = cli.Int("--users", 20000),
            MaxUsers = cli.Int("--max-users", 5000),
            Batch = cli.Int("--batch", 100),
            RepoBatch = cli.Int("--repo-batch", 50),
            Seed = cli.Int("--seed", 42),
            RefreshAfter = TimeSpan.FromHours(cli.Number("--refresh-hours", 168)),
            Layout = LayoutOption(cli),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        var job = new DevRankJob(options);
        if (cli.Has("--ack"))
        {
            // For crash-demo: one line per durable piece of work, nothing else.
            Console.WriteLine("started");
            JobResult acked = job.Run(new AckObserver());
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done users={acked.Users} pending={acked.Pending} saves={acked.Saves}"));
            return 0;
        }

        Out.MarkupLine($"DevRank sample: data in [bold]{Markup.Escape(dataDir)}[/], a world of {options.WorldUsers:N0} developers, cap {options.MaxUsers:N0}");
        JobResult result;
        if (!cli.Has("--no-progress") && Out.Profile.Capabilities.Interactive && !Console.IsOutputRedirected)
        {
            result = Out.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx => job.Run(new BarObserver(ctx)));
        }
        else
        {
            // Not a terminal (a pipe, a test, CI): a few plain lines instead of a redrawn bar.
            result = job.Run(new LineObserver(Console.Out));
        }

        Out.Write(Summary(result, options));
        return 0;
    }

    public static Table Summary(JobResult r, JobOptions options)
    {
        var table = new Table().Title("DevRank run").AddColumn("Store / measure").AddColumn(new TableColumn("Value").RightAligned());
        Row(table, Stores.Layout.UsersOf(Stores.Layout.Detect(options.DataDir)).FileName + " users", $"{r.Users:N0} (cap {options.MaxUsers:N0})");
        Row(table, "threshold.json entry bar (tc)", $"{r.Threshold:N0}");
        Row(table, "tracker.json logins", $"{r.Tracked:N0}");
        Row(table, "  pending (not updated yet)", $"{r.Pending:N0}");
        Row(table, "visited.json entries", $"{r.Visited:N0}");
        Row(table, "this run: repositories crawled", $"{r.ReposVisited:N0}");
        Row(table, "this run: logins discovered", $"{r.LoginsDiscovered:N0}");
        Row(table, "this run: users updated", $"{r.UsersUpdated:N0}");
        Row(table, "this run: users pruned", $"{r.UsersPruned:N0}");
        Row(table, "durable saves made", $"{r.Saves:N0}");
        Row(table, "durable appends made (history.jsonl)", $"{r.Appends:N0}");
        Row(table, "bytes written", Bytes(r.BytesWritten));
        Row(table, "time in durable saves", Seconds(r.SaveTime));
        Row(table, "wall time", Seconds(r.Elapsed));
        return table;
    }

    public static int Import(Cli cli, string dataDir)
    {
        cli.Allow("--data", "--from", "--force");
        string from = cli.Text("--from") ?? throw new UsageException("import needs --from DIR");
        List<ImportRow> rows = ImportCommand.Run(Path.GetFullPath(from), dataDir, force: cli.Has("--force"));
        var table = new Table().Title($"import {from} → {dataDir}").AddColumn("Store").AddColumn("Read from").AddColumn(new TableColumn("Entries").RightAligned()).AddColumn("Result");
        foreach (ImportRow row in rows)
        {
            table.AddRow(
                new Text(row.Store),
                new Text(string.Join(" + ", row.Sources)),
                new Text(row.Entries.ToString("N0", CultureInfo.InvariantCulture)),
                row.Ok ? new Markup("[green]stored durably[/]") : new Text($"not copied: {row.Error!.GetType().Name}: {row.Error.Message}", new Style(Color.Red)));
        }

        if (rows.Count == 0)
        {
            Out.MarkupLine($"[yellow]No DevRank files in {Markup.Escape(from)}[/] (users.json, tracker.json, visited.json, blocklist.json or blacklist.json, allowlist.json or whitelist.json, threshold.json).");
            return 1;
        }

        Out.Write(table);
        int bad = rows.Count(static r => !r.Ok);
        Out.MarkupLine(bad == 0 ? $"[green]{rows.Count} file(s) imported.[/]" : $"[red]{bad} of {rows.Count} file(s) rejected.[/]");
        return bad == 0 ? 0 : 1;
    }

    public static int Inspect(Cli cli, string dataDir)
    {
        cli.Allow("--data");
        InspectReport report = InspectCommand.Run(dataDir);
        var table = new Table().Title($"inspect {dataDir}").AddColumn("Store").AddColumn("Entries").AddColumn(new TableColumn("Size").RightAligned()).AddColumn("Last modified (UTC)");
        foreach (StoreSummary store in report.Stores)
        {
            table.AddRow(
                new Text(store.FileName),
                store.Error is null ? new Text(store.Entries) : new Text($"{store.Entries}: {store.Error}", new Style(Color.Red)),
                new Text(store.Exists ? Bytes(store.Size) : "missing"),
                new Text(store.LastModifiedUtc?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "—"));
        }

        Out.Write(table);
        Out.WriteLine(report.StaleTemps.Count == 0
            ? "No temp files (.<name>.<16 hex>.tmp)."
            : $"{report.StaleTemps.Count} temp file(s), left by killed writers unless a job is running now (the next save of that store removes them): {string.Join(", ", report.StaleTemps)}");
        Out.WriteLine(report.Backups.Count == 0 ? "No backup files (<name>.bak)." : $"{report.Backups.Count} backup file(s): {string.Join(", ", report.Backups)}");
        return report.Stores.Any(static s => s.Error is not null) ? 1 : 0;
    }

    public static int CrashDemo(Cli cli, string dataDir)
    {
        cli.Allow("--data", "--kills", "--seed", "--force", "--layout");
        int kills = cli.Int("--kills", 100);
        int seed = cli.Int("--seed", 42);
        // A folder of its own, emptied first: the demo never touches the data of a real run unless told to.
        bool byDefault = cli.Text("--data") is null;
        string demoDir = byDefault ? Path.Combine(Path.GetTempPath(), "devrank-crash-demo") : dataDir;
        if (Commands.CrashDemo.PrepareFolder(demoDir, ownByDefault: byDefault, force: cli.Has("--force")) is { } movedTo)
        {
            Out.MarkupLine($"crash-demo: the folder's previous content was moved to [bold]{Markup.Escape(movedTo)}[/]");
        }

        Out.MarkupLine($"crash-demo: {kills} kill -9 at random moments of the job, data in [bold]{Markup.Escape(demoDir)}[/]");
        var demo = new CrashDemo(demoDir, kills, seed, Console.WriteLine, LayoutOption(cli));
        CrashReport report = demo.Run();

        var table = new Table().Title("crash-demo").AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
        Row(table, "kills (SIGKILL)", $"{report.Kills:N0}");
        Row(table, "runs that finished before their kill", $"{report.Completed:N0}");
        Row(table, "kills that left a temp file (died mid-save)", $"{report.KilledMidSave:N0}");
        Row(table, "acknowledged work items", $"{report.Acknowledged:N0}");
        Row(table, "  of which history.jsonl appends", $"{report.AcknowledgedAppends:N0}");
        Row(table, "corrupt files found", $"{report.CorruptFiles:N0}");
        Row(table, "work lost", $"{report.WorkLost:N0}");
        Row(table, "work redone", $"{report.WorkRedone:N0}");
        Row(table, "invariant violations", $"{report.InvariantViolations:N0}");
        Row(table, "child failures", $"{report.ChildFailures:N0}");
        Row(table, "after a final full run: users / pending", $"{report.FinalUsers:N0} / {report.FinalPending:N0}");
        Row(table, "wall time", Seconds(report.Elapsed));
        Out.Write(table);
        foreach (string problem in report.Problems.Take(20))
        {
            Out.WriteLine(problem, new Style(Color.Red));
        }

        Out.MarkupLine(report.Passed ? "[green]PASS: 0 corrupt, 0 lost.[/]" : "[red]FAIL[/]");
        return report.Passed ? 0 : 1;
    }

    /// <summary><c>--layout devrank|devindex</c>: the layout of a fresh data folder (one with data keeps its own).</summary>
    private static Generation LayoutOption(Cli cli) => cli.Text("--layout") switch
    {
        null or "devrank" => Generation.DevRank,
        "devindex" => Generation.DevIndex,
        string other => throw new UsageException($"--layout is devrank or devindex, not '{other}'"),
    };

    private static void Row(Table table, string name, string value) =>
        table.AddRow(new Text(name), new Text(value));

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1 << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 30):0.0} GiB"),
        >= 1 << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1 << 20):0.0} MiB"),
        >= 1 << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };

    private static string Seconds(TimeSpan time) => string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0.00} s");

    private static string Label(JobPhase phase) => phase == JobPhase.Spider ? "spider (repositories)" : "updater (logins)";

    /// <summary>Drives a live Spectre progress bar.</summary>
    private sealed class BarObserver(ProgressContext context) : IJobObserver
    {
        private readonly Dictionary<JobPhase, ProgressTask> _tasks = new()
        {
            [JobPhase.Spider] = context.AddTask(Label(JobPhase.Spider), autoStart: false),
            [JobPhase.Update] = context.AddTask(Label(JobPhase.Update), autoStart: false),
        };

        public void PhaseStarted(JobPhase phase, int total)
        {
            ProgressTask task = _tasks[phase];
            task.MaxValue = Math.Max(1, total);
            task.StartTask();
            if (total == 0)
            {
                task.Value = task.MaxValue;
            }
        }

        public void Advanced(JobPhase phase, int done) => _tasks[phase].Increment(done);

        public void Acknowledged(string line) { }
    }

    /// <summary>Progress as plain lines, about every 10 %: readable in a log, never redrawn.</summary>
    private sealed class LineObserver(TextWriter output) : IJobObserver
    {
        private readonly Dictionary<JobPhase, (int Total, int Done, int Shown)> _state = [];

        public void PhaseStarted(JobPhase phase, int total)
        {
            _state[phase] = (total, 0, 0);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Label(phase)}: {total:N0} to do"));
        }

        public void Advanced(JobPhase phase, int done)
        {
            (int total, int sum, int shown) = _state[phase];
            sum += done;
            int decile = total == 0 ? 10 : sum * 10 / total;
            if (decile > shown)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Label(phase)}: {sum:N0}/{total:N0} ({sum * 100 / total}%)"));
                shown = decile;
            }

            _state[phase] = (total, sum, shown);
        }

        public void Acknowledged(string line) { }
    }

    /// <summary>One stdout line per acknowledged piece of work (<c>--ack</c>).</summary>
    private sealed class AckObserver : IJobObserver
    {
        public void PhaseStarted(JobPhase phase, int total) { }

        public void Advanced(JobPhase phase, int done) { }

        public void Acknowledged(string line) => Console.Out.WriteLine(line);
    }
}
