using System.Globalization;
using System.Text;
using DevRank.AtomicStore;
using DevRank.Sample.Stores;

namespace DevRank.Sample.Source;

/// <summary>
/// The sample's stand-in for the GitHub API: a seeded, offline, deterministic world of repositories, contributors
/// and profiles. The same seed always gives the same world, and a bigger world contains the smaller one (repository
/// <c>i</c> and the profile of a login never depend on the size), so <c>--users</c> can grow between runs.
/// </summary>
internal sealed class World
{
    /// <summary>Bots that contribute everywhere; a fresh data folder blocks them.</summary>
    public static readonly string[] Bots = ["dependabot[bot]", "github-actions[bot]", "renovate[bot]", "imgbot[bot]"];

    private static readonly string[] Syllables =
        ["ka", "ri", "to", "mo", "an", "el", "sa", "yu", "ne", "lo", "vi", "da", "zh", "ou", "li", "en", "ma", "ra", "jo", "su", "qi", "ha", "ba", "ze"];

    private static readonly string[] Names =
        ["李小龙", "王芳", "張偉", "山田太郎", "佐藤花子", "김민준", "이서연", "Søren Kierkegaard", "José Martínez", "François Dupont",
         "Zoë Müller", "Łukasz Wiśniewski", "Ελένη Παπαδοπούλου", "Андрей Иванов", "Олена Коваль", "محمد العلي", "דנה כהן",
         "राहुल शर्मा", "Nguyễn Văn An", "Ayşe Yılmaz", "Björk Guðmundsdóttir", "Chidi Okeke", "Ana Sofía Pérez", "Mateus Conceição",
         "Ada Lovelace", "Linus T.", "Grace H.", "Kai 🚀", "Ngũgĩ wa Thiong'o", "Þórdís Ólafsdóttir"];

    private static readonly string[] BioParts =
        ["Full-stack developer", "编程爱好者", "オープンソースが好き", "Rustacean 🦀", "Building tools for developers", "Kotlin & Go",
         "CS student @ 東京大学", "데이터 엔지니어", "Maintainer of things nobody notices ✨", "Open source 💚", "Разработчик",
         "«Simplicity is prerequisite for reliability»", "She/her · ML · 🇧🇷", "Ex-\"startup\" person", "C:\\Users\\me\\code",
         "I write compilers 🧑‍💻", "Coffee → code ☕", "Security researcher 🔐", "Math, music, monads"];

    private static readonly (string Location, string? Country)[] Locations =
        [("Beijing, China", "cn"), ("東京", "jp"), ("Seoul", "kr"), ("Berlin, Germany", "de"), ("São Paulo", "br"), ("Paris", "fr"),
         ("Bengaluru, India", "in"), ("San Francisco, CA", "us"), ("Kyiv", "ua"), ("Lagos, Nigeria", "ng"), ("Earth 🌍", null),
         ("Reykjavík", "is"), ("Hà Nội", "vn"), ("İstanbul", "tr"), ("Remote", null)];

    private static readonly string[] Companies = ["@microsoft", "@google", "Alibaba", "Freelance", "@mozilla", "Yandex", "ACME Corp.", "@shopify", "株式会社サンプル"];

    private static readonly string[] Orgs = ["rust-lang", "dotnet", "golang", "nodejs", "apache", "vuejs", "tensorflow", "kubernetes", "python", "denoland"];

    private static readonly string[] RepoWords = ["core", "cli", "sdk", "ui", "parser", "engine", "lab", "kit", "db", "api", "bot", "web"];

    public World(int seed, int users)
    {
        Seed = seed;
        Size = Math.Max(10, users);
        RepoCount = Math.Max(5, Size / 2);
    }

    public int Seed { get; }

    /// <summary>About how many distinct developers the spider can reach.</summary>
    public int Size { get; }

    public int RepoCount { get; }

    /// <summary>The visited-key of repository <paramref name="index"/>, <c>repo:owner/name</c>.</summary>
    public string RepoKey(int index)
    {
        var random = RandomFor("repo", index);
        string owner = index % 3 == 0 ? Orgs[random.Next(Orgs.Length)] : Login(random.Next(2 * index + 40));
        string name = RepoWords[random.Next(RepoWords.Length)] + "-" + Syllable(random) + Syllable(random) + index.ToString(CultureInfo.InvariantCulture);
        return "repo:" + owner + "/" + name;
    }

    /// <summary>The contributors of repository <paramref name="index"/>, as the API lists them (spelling may vary in case).</summary>
    public IReadOnlyList<string> Contributors(int index)
    {
        var random = RandomFor("contributors", index);
        // Most repositories have a handful of contributors, a few have dozens.
        int count = 1 + (int)(30 * Math.Pow(random.NextDouble(), 3));
        // Repository i draws from the first 2i + 40 developers: never from the world's size, so growing the world
        // adds repositories and developers and changes none of the existing ones.
        int pool = 2 * index + 40;
        var logins = new List<string>(count + 1);
        for (int i = 0; i < count; i++)
        {
            // Skewed towards low indexes: a few developers contribute to many repositories.
            string login = Login((int)(pool * Math.Pow(random.NextDouble(), 1.6)));
            logins.Add(random.Next(20) == 0 ? login.ToUpperInvariant() : login);
        }

        if (random.Next(4) == 0)
        {
            logins.Add(Bots[random.Next(Bots.Length)]);
        }

        return logins;
    }

    /// <summary>The login of developer <paramref name="index"/>: ASCII, like every GitHub login, sometimes mixed-case.</summary>
    public string Login(int index)
    {
        var random = RandomFor("login", index);
        var login = new StringBuilder();
        int parts = 2 + random.Next(3);
        for (int i = 0; i < parts; i++)
        {
            login.Append(Syllable(random));
        }

        if (random.Next(6) == 0)
        {
            login[0] = char.ToUpperInvariant(login[0]);
        }

        if (random.Next(3) == 0)
        {
            login.Append('-').Append(Syllable(random));
        }

        // The index keeps logins unique.
        return login.Append(index.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>
    /// The profile the "API" returns for <paramref name="login"/> at <paramref name="now"/>: a function of the
    /// lower-cased login and the seed only, so any spelling of a login gives the same record.
    /// </summary>
    public UserRecord Profile(string login, IsoTimestamp now)
    {
        var random = new Random(Hash(Seed, "profile:" + login.ToLowerInvariant()));
        int thisYear = now.Value.Year;
        int firstYear = thisYear - random.Next(0, 15);
        var years = new List<int>();
        var commits = new List<int>();
        // Heavy-tailed activity: most users have little, a few have a great deal.
        double activity = 3000 * Math.Pow(random.NextDouble(), 4);
        for (int year = firstYear; year <= thisYear; year++)
        {
            int contributions = (int)(activity * (0.3 + random.NextDouble()));
            years.Add(contributions);
            commits.Add((int)(contributions * (0.4 + 0.5 * random.NextDouble())));
        }

        (string location, string? country) = Locations[random.Next(Locations.Length)];
        return new UserRecord
        {
            Login = CanonicalSpelling(login),
            TotalContributions = years.Sum(),
            FirstYear = firstYear,
            LastUpdated = now,
            Years = years,
            CommitYears = commits,
            Name = random.Next(5) == 0 ? null : Names[random.Next(Names.Length)],
            Id = 1_000_000 + (Hash(Seed, "id:" + login.ToLowerInvariant()) & 0x3FFFFFFF),
            Location = random.Next(4) == 0 ? null : location,
            CountryCode = country,
            Company = random.Next(3) == 0 ? Companies[random.Next(Companies.Length)] : null,
            Bio = random.Next(3) == 0 ? null : Bio(random),
            Followers = (int)(5000 * Math.Pow(random.NextDouble(), 6)),
            Organisations = random.Next(3) == 0 ? null : OrgsFor(random),
            LinkedIn = random.Next(8) == 0 ? "https://www.linkedin.com/in/" + login.ToLowerInvariant() : null,
        };
    }

    private static string CanonicalSpelling(string login) =>
        // Contributor lists sometimes shout a login; the profile has the real spelling (the index suffix survives).
        login.Any(char.IsLower) ? login : login.ToLowerInvariant();

    private static string Bio(Random random)
    {
        string bio = BioParts[random.Next(BioParts.Length)];
        return random.Next(4) switch
        {
            0 => bio + "\r\n" + BioParts[random.Next(BioParts.Length)],
            1 => bio + " · " + BioParts[random.Next(BioParts.Length)],
            _ => bio,
        };
    }

    private static List<Organisation> OrgsFor(Random random)
    {
        var orgs = new List<Organisation>();
        int count = 1 + random.Next(4);
        for (int i = 0; i < count; i++)
        {
            int org = random.Next(Orgs.Length);
            if (orgs.All(o => o.Login != Orgs[org]))
            {
                orgs.Add(new Organisation(Orgs[org], 100_000 + org));
            }
        }

        return orgs;
    }

    private static string Syllable(Random random) => Syllables[random.Next(Syllables.Length)];

    private Random RandomFor(string what, int index) => new(Hash(Seed, what + ":" + index.ToString(CultureInfo.InvariantCulture)));

    /// <summary>FNV-1a: stable across processes and runtimes, unlike <see cref="string.GetHashCode()"/>.</summary>
    private static int Hash(int seed, string text)
    {
        uint hash = 2166136261u ^ (uint)seed;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)(hash & 0x7FFFFFFF);
    }
}
