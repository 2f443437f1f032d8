using DevRank.Sample.Stores;

namespace DevRank.Sample.Job;

/// <summary>The outcome of an upsert.</summary>
/// <param name="Pruned">Users removed to respect the cap.</param>
/// <param name="Threshold">The entry bar after the upsert (never lower than before).</param>
internal readonly record struct UpsertResult(int Pruned, int Threshold);

/// <summary>The ranking rules of <c>users.json</c>: sorted by total contributions, capped, allowlist kept.</summary>
internal static class Ranking
{
    /// <summary>The order of <c>users.json</c>: total contributions descending, then login (case-insensitive) for ties.</summary>
    public static IOrderedEnumerable<UserRecord> Order(IEnumerable<UserRecord> users) =>
        users.OrderByDescending(static u => u.TotalContributions).ThenBy(static u => u.Login, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Replaces the records of known logins (keeping fields this version does not know), adds new ones that clear
    /// the bar (or are allowlisted, or while there is room), sorts, and prunes the lowest non-allowlisted users
    /// beyond <paramref name="cap"/>. Idempotent: the same profiles give the same list.
    /// </summary>
    public static UpsertResult Upsert(List<UserRecord> users, IEnumerable<UserRecord> profiles, IReadOnlySet<string> allowed, int cap, int threshold)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < users.Count; i++)
        {
            index.TryAdd(users[i].Login, i);
        }

        bool full = users.Count >= cap;
        foreach (UserRecord profile in profiles)
        {
            if (index.TryGetValue(profile.Login, out int at))
            {
                profile.Unknown ??= users[at].Unknown;
                users[at] = profile;
            }
            else if (!full || profile.TotalContributions > threshold || allowed.Contains(profile.Login))
            {
                index[profile.Login] = users.Count;
                users.Add(profile);
            }
        }

        List<UserRecord> sorted = [.. Order(users)];
        int pruned = 0;
        while (sorted.Count > cap)
        {
            int last = sorted.FindLastIndex(u => !allowed.Contains(u.Login));
            sorted.RemoveAt(last >= 0 ? last : sorted.Count - 1);
            pruned++;
        }

        users.Clear();
        users.AddRange(sorted);
        if (users.Count >= cap && users.FindLast(u => !allowed.Contains(u.Login)) is { } lowest)
        {
            threshold = Math.Max(threshold, lowest.TotalContributions);
        }

        return new UpsertResult(pruned, threshold);
    }
}
