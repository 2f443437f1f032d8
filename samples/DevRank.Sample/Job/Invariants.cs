using DevRank.AtomicStore;
using DevRank.Sample.Stores;

namespace DevRank.Sample.Job;

/// <summary>What must hold in a data folder after any run, completed or killed.</summary>
internal static class Invariants
{
    /// <summary>The violations found in <paramref name="dir"/> (empty when all hold). Throws the stores' typed errors.</summary>
    /// <param name="dir">The data folder.</param>
    /// <param name="cap">The cap the runs used.</param>
    /// <param name="completed">
    /// The last run finished. Only then must every user have a time in the tracker: a run killed between a batch's
    /// users save and its tracker save leaves upserted users that are still pending, which the next run redoes.
    /// </param>
    public static List<string> Check(string dir, int cap, bool completed = true)
    {
        var problems = new List<string>();
        List<UserRecord> users = Layout.UsersOf(Layout.Detect(dir)).LoadOrCreate(dir);
        Tracker tracker = Tracker.LoadOrCreate(dir);
        var blocked = new HashSet<string>(Blocklist.LoadOrCreate(dir), StringComparer.OrdinalIgnoreCase);

        if (users.Count > cap)
        {
            problems.Add($"users.json holds {users.Count} users, more than the cap of {cap}");
        }

        for (int i = 1; i < users.Count; i++)
        {
            if (users[i].TotalContributions > users[i - 1].TotalContributions)
            {
                problems.Add($"users.json is not sorted: {users[i - 1].Login} ({users[i - 1].TotalContributions}) before {users[i].Login} ({users[i].TotalContributions})");
                break;
            }
        }

        var logins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (UserRecord user in users)
        {
            if (!logins.Add(user.Login))
            {
                problems.Add($"users.json lists {user.Login} twice");
            }

            if (!tracker.TryGetValue(user.Login, out IsoTimestamp? stamped) || (stamped is null && completed))
            {
                problems.Add($"{user.Login} is in users.json but {(stamped is null && tracker.ContainsKey(user.Login) ? "has no update time in" : "is missing from")} tracker.json");
            }
        }

        problems.AddRange(users.Where(u => blocked.Contains(u.Login)).Select(u => $"blocked login {u.Login} is in users.json"));
        problems.AddRange(tracker.Keys.Where(blocked.Contains).Select(l => $"blocked login {l} is in tracker.json"));
        return problems;
    }
}
