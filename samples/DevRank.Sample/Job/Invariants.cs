using DevRank.Sample.Stores;

namespace DevRank.Sample.Job;

/// <summary>What must hold in a data folder after any run, completed or killed.</summary>
internal static class Invariants
{
    /// <summary>The violations found in <paramref name="dir"/> (empty when all hold). Throws the stores' typed errors.</summary>
    public static List<string> Check(string dir, int cap)
    {
        var problems = new List<string>();
        Users users = Users.LoadOrCreate(dir);
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

            if (!tracker.TryGetValue(user.Login, out DateTimeOffset? stamped) || stamped is null)
            {
                problems.Add($"{user.Login} is in users.json but has no update time in tracker.json");
            }
        }

        problems.AddRange(users.Where(u => blocked.Contains(u.Login)).Select(u => $"blocked login {u.Login} is in users.json"));
        problems.AddRange(tracker.Keys.Where(blocked.Contains).Select(l => $"blocked login {l} is in tracker.json"));
        return problems;
    }
}
