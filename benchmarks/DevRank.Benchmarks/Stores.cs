using System.Globalization;
using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>~1 KB: one user's settings and profile, a small object with a few lists.</summary>
[AtomicStore("profile.json", JsonContext = typeof(BenchJson))]
public sealed partial class Profile
{
    public string Login { get; set; } = "";
    public string? Name { get; set; }
    public string? Bio { get; set; }
    public int Followers { get; set; }
    public int PublicRepos { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<string> Languages { get; set; } = [];
    public List<string> PinnedRepos { get; set; } = [];
}

/// <summary>~64 KB: DevRank's <c>visited.json</c>, a JSON array of strings.</summary>
[AtomicStore("visited.json", JsonContext = typeof(BenchJson))]
public sealed partial class Visited : List<string>
{
}

/// <summary>~256 KB: a list of blocked names, the fourth store of <see cref="TransactionBenchmarks"/>' commit.</summary>
[AtomicStore("blocklist.json", JsonContext = typeof(BenchJson))]
public sealed partial class Blocklist : List<string>
{
}

/// <summary>~2 MB: DevRank's <c>tracker.json</c>, 40k logins → last-seen time or null.</summary>
[AtomicStore("tracker.json", JsonContext = typeof(BenchJson))]
public sealed partial class Tracker : Dictionary<string, DateTimeOffset?>
{
    public Tracker() : base(StringComparer.OrdinalIgnoreCase) { }
}

/// <summary>~32 MB: a <c>users.json</c>-like array of nested records.</summary>
[AtomicStore("users.json", JsonContext = typeof(BenchJson))]
public sealed partial class Users : List<User>
{
}

public sealed class User
{
    public string Login { get; set; } = "";
    public string? Name { get; set; }
    public string? Company { get; set; }
    public string? Location { get; set; }
    public int Followers { get; set; }
    public double Score { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<Repo> Repos { get; set; } = [];
    public Dictionary<string, int> Languages { get; set; } = [];
}

public sealed class Repo
{
    public string Name { get; set; } = "";
    public int Stars { get; set; }
    public string? Language { get; set; }
    public DateTimeOffset? PushedAt { get; set; }
}

[JsonSerializable(typeof(Profile))]
[JsonSerializable(typeof(Visited))]
[JsonSerializable(typeof(Tracker))]
[JsonSerializable(typeof(Blocklist))]
[JsonSerializable(typeof(Users))]
internal sealed partial class BenchJson : JsonSerializerContext
{
}

/// <summary>Deterministic payloads shaped like DevRank's data.</summary>
public static class Payloads
{
    private static readonly string[] Langs = ["C#", "Go", "Rust", "TypeScript", "Python", "Java", "C", "Kotlin", "Swift", "Ruby"];
    private static readonly DateTimeOffset Epoch = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Profile Profile() => new()
    {
        Login = "octocat",
        Name = "The Octocat",
        Bio = "GitHub's mascot. Likes forks, stars and long walks through the commit history. " + new string('x', 300),
        Followers = 12345,
        PublicRepos = 8,
        CreatedAt = Epoch,
        Languages = [.. Langs],
        PinnedRepos = [.. Enumerable.Range(0, 12).Select(i => $"octocat/repository-number-{i}")],
    };

    public static Visited Visited()
    {
        var v = new Visited();
        for (int i = 0; i < 2_400; i++)
        {
            v.Add($"repo:owner{i % 977:D4}/project-{i:D5}");
        }

        return v;
    }

    public static Blocklist Blocklist()
    {
        var b = new Blocklist();
        for (int i = 0; i < 8_000; i++)
        {
            b.Add($"blocked-login-{i:D6}@example.org");
        }

        return b;
    }

    public static Tracker Tracker()
    {
        var t = new Tracker();
        for (int i = 0; i < 40_000; i++)
        {
            t[$"login-{i:D6}"] = i % 7 == 0 ? null : Epoch.AddSeconds(i * 3_917L);
        }

        return t;
    }

    public static Users Users()
    {
        var users = new Users();
        var random = new Random(42);
        for (int i = 0; i < 36_000; i++)
        {
            var u = new User
            {
                Login = "user-" + i.ToString("D6", CultureInfo.InvariantCulture),
                Name = i % 3 == 0 ? null : "User Number " + i.ToString(CultureInfo.InvariantCulture),
                Company = i % 4 == 0 ? null : "Company " + (i % 500).ToString(CultureInfo.InvariantCulture),
                Location = i % 5 == 0 ? null : "City " + (i % 200).ToString(CultureInfo.InvariantCulture),
                Followers = random.Next(0, 100_000),
                Score = random.NextDouble() * 1000,
                UpdatedAt = Epoch.AddMinutes(i),
            };
            for (int r = 0; r < 6; r++)
            {
                u.Repos.Add(new Repo
                {
                    Name = "repo-" + r.ToString(CultureInfo.InvariantCulture) + "-" + (i % 1000).ToString(CultureInfo.InvariantCulture),
                    Stars = random.Next(0, 5000),
                    Language = r % 3 == 0 ? null : Langs[(i + r) % Langs.Length],
                    PushedAt = r % 4 == 0 ? null : Epoch.AddHours(i + r),
                });
            }

            for (int l = 0; l < 3; l++)
            {
                u.Languages[Langs[(i + l) % Langs.Length]] = random.Next(1, 1_000_000);
            }

            users.Add(u);
        }

        return users;
    }
}
