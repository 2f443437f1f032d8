using System.Diagnostics;
using System.Globalization;
using DevRank.AtomicStore;
using DevRank.Sample.Source;
using DevRank.Sample.Stores;

namespace DevRank.Sample.Job;

/// <summary>
/// DevRank's spider and updater over the generated stores: one full cycle per <see cref="Run"/>.
/// <para>
/// Crash safety comes from the order of saves, never from a log or a second copy: each step first saves what
/// makes the step's effect idempotent to redo, and last saves the record that says "done". A kill between two
/// saves therefore only ever makes the next run redo an idempotent step; a step the job has acknowledged (its last
/// save returned) is never redone.
/// </para>
/// <list type="bullet">
/// <item>Spider step: <c>tracker.json</c> gains the contributors (as pending) before <c>visited.json</c> gains the
/// repositories. Killed in between, the repositories are crawled again and adding present logins changes nothing.</item>
/// <item>Updater batch: <c>threshold.json</c> is raised, then <c>users.json</c> gets the upserts (and the prune),
/// then <c>tracker.json</c> gets the timestamps. Killed before the tracker save, the logins are still pending or
/// old, so they are fetched and upserted again, which replaces the same records.</item>
/// </list>
/// </summary>
internal sealed class DevRankJob(JobOptions options)
{
    private readonly StoreMeter _meter = new();

    /// <summary>This run's id in <c>history.jsonl</c>, so that records of different runs (and processes) stay apart.</summary>
    private readonly string _runId = Guid.NewGuid().ToString("N")[..12];

    private UserFile _users = UserFile.Json;

    public JobOptions Options { get; } = options;

    public JobResult Run(IJobObserver? observer = null)
    {
        observer ??= NullObserver.Instance;
        Options.Validate();
        var clock = Stopwatch.StartNew();
        string dir = Options.DataDir;
        var world = new World(Options.Seed, Options.WorldUsers);

        // DevRank's users.json or DevIndex's users.jsonl: the folder's files decide, a fresh folder takes --layout.
        _users = Layout.UsersOf(Layout.Detect(dir, Options.Layout));
        (HashSet<string> blocked, HashSet<string> allowed) = Lists(dir);
        int blockedRemoved = CleanUp(dir, blocked, allowed);
        (int repos, int discovered, Visited visited) = Spider(dir, world, blocked, observer);
        (int updated, int pruned, List<UserRecord> users, Tracker tracker, Threshold threshold) = UpdateUsers(dir, world, blocked, allowed, observer);

        return new JobResult
        {
            ReposVisited = repos,
            LoginsDiscovered = discovered,
            UsersUpdated = updated,
            UsersPruned = pruned,
            BlockedRemoved = blockedRemoved,
            Users = users.Count,
            Tracked = tracker.Count,
            Pending = tracker.Values.Count(static t => t is null),
            Visited = visited.Count,
            Threshold = threshold.Tc,
            Saves = _meter.Saves,
            Appends = _meter.Appends,
            BytesWritten = _meter.BytesWritten,
            SaveTime = _meter.SaveTime,
            Elapsed = clock.Elapsed,
        };
    }

    /// <summary>The block and allow lists; a fresh data folder gets a blocklist of the world's bots.</summary>
    private (HashSet<string> Blocked, HashSet<string> Allowed) Lists(string dir)
    {
        if (!Blocklist.TryLoad(dir, out Blocklist? blocklist))
        {
            blocklist = [.. World.Bots];
            _meter.Save(Blocklist.Store.GetPath(dir), () => blocklist.Save(dir));
        }

        Allowlist allowlist = Allowlist.LoadOrCreate(dir);
        return (new HashSet<string>(blocklist, StringComparer.OrdinalIgnoreCase), new HashSet<string>(allowlist, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Removes blocked logins from users and tracker (a blocklist may have grown); tracks allowlisted logins.</summary>
    private int CleanUp(string dir, HashSet<string> blocked, HashSet<string> allowed)
    {
        int removed = 0;
        if (_users.LoadOrCreate(dir).Exists(u => blocked.Contains(u.Login)))
        {
            _meter.Update(_users.GetPath(dir), mark => _users.Update(dir, users =>
            {
                removed += users.RemoveAll(u => blocked.Contains(u.Login));
                mark();
            }));
        }

        Tracker current = Tracker.LoadOrCreate(dir);
        if (current.Keys.Any(blocked.Contains) || allowed.Any(a => !blocked.Contains(a) && !current.ContainsKey(a)))
        {
            _meter.Update(Tracker.Store.GetPath(dir), mark => Tracker.Update(dir, tracker =>
            {
                foreach (string login in tracker.Keys.Where(blocked.Contains).ToList())
                {
                    tracker.Remove(login);
                    removed++;
                }

                foreach (string login in allowed.Where(a => !blocked.Contains(a)))
                {
                    tracker.TryAdd(login, null);
                }

                mark();
            }));
        }

        return removed;
    }

    private (int Repos, int Discovered, Visited Visited) Spider(string dir, World world, HashSet<string> blocked, IJobObserver observer)
    {
        Visited visited = Visited.LoadOrCreate(dir);
        var seen = new HashSet<string>(visited, StringComparer.Ordinal);
        List<int> todo = [.. Enumerable.Range(0, world.RepoCount).Where(i => !seen.Contains(world.RepoKey(i)))];
        observer.PhaseStarted(JobPhase.Spider, todo.Count);

        int discovered = 0;
        foreach (int[] chunk in todo.Chunk(Options.RepoBatch))
        {
            string[] keys = [.. chunk.Select(world.RepoKey)];
            string[] logins = [.. chunk.SelectMany(world.Contributors).Where(l => !blocked.Contains(l))];

            // 1. The contributors, as pending: idempotent, so a crash before step 2 only makes us add them again.
            _meter.Update(Tracker.Store.GetPath(dir), mark => Tracker.Update(dir, tracker =>
            {
                foreach (string login in logins)
                {
                    if (tracker.TryAdd(login, null))
                    {
                        discovered++;
                    }
                }

                mark();
            }));

            // 2. The repositories, as visited: from here on this step is done and acknowledged.
            visited = _meter.Update(Visited.Store.GetPath(dir), mark => Visited.Update(dir, v =>
            {
                var present = new HashSet<string>(v, StringComparer.Ordinal);
                v.AddRange(keys.Where(present.Add));
                mark();
            }));

            foreach (string key in keys)
            {
                observer.Acknowledged("repo " + key);
            }

            observer.Advanced(JobPhase.Spider, chunk.Length);
        }

        return (todo.Count, discovered, visited);
    }

    private (int Updated, int Pruned, List<UserRecord> Users, Tracker Tracker, Threshold Threshold) UpdateUsers(
        string dir, World world, HashSet<string> blocked, HashSet<string> allowed, IJobObserver observer)
    {
        Tracker tracker = Tracker.LoadOrCreate(dir);
        DateTimeOffset staleBefore = Options.Clock.GetUtcNow() - Options.RefreshAfter;
        // Pending logins first, in discovery order; then the stalest updated ones.
        List<string> work =
        [
            .. tracker.Where(e => e.Value is null).Select(e => e.Key),
            .. tracker.Where(e => e.Value is { } t && t.Value < staleBefore).OrderBy(e => e.Value).Select(e => e.Key),
        ];
        work.RemoveAll(blocked.Contains);
        observer.PhaseStarted(JobPhase.Update, work.Count);

        List<UserRecord> users = _users.LoadOrCreate(dir);
        Threshold threshold = Threshold.LoadOrCreate(dir);
        int updated = 0, pruned = 0, batchNumber = 0;
        foreach (string[] batch in work.Chunk(Options.Batch))
        {
            // toISOString()'s millisecond precision, as a JavaScript Date holds it.
            IsoTimestamp now = IsoTimestamp.From(Options.Clock.GetUtcNow());
            UserRecord[] profiles = [.. batch.Select(login => world.Profile(login, now))];
            var kept = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            int prunedBefore = pruned;

            // 1 + 2. Raise the entry bar, then upsert and prune. The bar is saved first: a crash in between leaves
            // it higher than the users it was derived from, which only makes the next upsert prune them.
            users = _meter.Update(_users.GetPath(dir), mark => _users.Update(dir, current =>
            {
                Threshold bar = Threshold.LoadOrCreate(dir);
                UpsertResult result = Ranking.Upsert(current, profiles, allowed, Options.MaxUsers, bar.Tc);
                if (result.Threshold > bar.Tc)
                {
                    threshold = _meter.Update(Threshold.Store.GetPath(dir), markBar => Threshold.Update(dir, t =>
                    {
                        Threshold raised = t with { Tc = Math.Max(t.Tc, result.Threshold) };
                        markBar();
                        return raised;
                    }));
                }

                pruned += result.Pruned;
                kept.UnionWith(current.Select(u => u.Login));
                mark();
            }));

            // 3. The timestamps: from here on the batch is done and acknowledged.
            tracker = _meter.Update(Tracker.Store.GetPath(dir), mark => Tracker.Update(dir, t =>
            {
                foreach (string login in batch)
                {
                    t[login] = now;
                }

                mark();
            }));

            updated += batch.Length;
            foreach (UserRecord profile in profiles)
            {
                observer.Acknowledged(string.Create(CultureInfo.InvariantCulture,
                    $"user {profile.Login} {now.Text} {profile.TotalContributions} {(kept.Contains(profile.Login) ? "kept" : "below")}"));
            }

            // 4. The run history: one appended line (one write, one fsync), not a rewrite of the file. After the
            // batch's acknowledgement on purpose: a kill before it loses the line of a batch that is done (a log
            // entry, never work), where an append before step 3 could log a batch that the next run does again.
            batchNumber++;
            var entry = new BatchRecord
            {
                Run = _runId,
                Batch = batchNumber,
                At = now,
                Updated = batch.Length,
                Kept = profiles.Count(p => kept.Contains(p.Login)),
                Pruned = pruned - prunedBefore,
                Users = users.Count,
                Threshold = threshold.Tc,
            };
            _meter.Append(History.Store.GetPath(dir), () => History.Append(dir, entry));
            observer.Acknowledged(string.Create(CultureInfo.InvariantCulture, $"history {_runId} {batchNumber}"));

            observer.Advanced(JobPhase.Update, batch.Length);
        }

        threshold = Threshold.LoadOrCreate(dir);
        return (updated, pruned, users, tracker, threshold);
    }
}
