using System.Globalization;

namespace DevRank.Sample;

/// <summary>The command line: <c>[command] [--option value | --flag]...</c>.</summary>
internal sealed class Cli
{
    private static readonly HashSet<string> Flags = ["--ack", "--no-progress", "--force", "--help", "-h"];

    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    private Cli(string command) => Command = command;

    public string Command { get; }

    public static Cli Parse(string[] args)
    {
        int at = 0;
        var cli = new Cli(args.Length > 0 && !args[0].StartsWith('-') ? args[at++] : "run");
        while (at < args.Length)
        {
            string name = args[at++];
            if (!name.StartsWith('-'))
            {
                throw new UsageException($"unexpected argument '{name}'");
            }

            if (Flags.Contains(name))
            {
                cli._options[name] = null;
            }
            else if (at < args.Length)
            {
                cli._options[name] = args[at++];
            }
            else
            {
                throw new UsageException($"{name} needs a value");
            }
        }

        return cli;
    }

    public bool Has(string flag) => _options.ContainsKey(flag);

    public string? Text(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : throw new UsageException($"{name} needs a whole number, not '{text}'");
    }

    public double Number(string name, double fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0
            ? value
            : throw new UsageException($"{name} needs a number, not '{text}'");
    }

    /// <summary>Fails on options the command does not know (typos should not be silently ignored).</summary>
    public void Allow(params string[] names)
    {
        foreach (string name in _options.Keys)
        {
            if (!names.Contains(name) && name is not ("--help" or "-h"))
            {
                throw new UsageException($"'{Command}' does not take {name}");
            }
        }
    }

    public const string Usage = """
        DevRank sample: DevRank's spider and updater, persisted only through [AtomicStore] stores.

        Usage: DevRank.Sample [command] [options]

        Commands:
          run (default)          One full cycle on the embedded offline world: spider, then updater.
              --data DIR         Data folder (default ./devrank-data)
              --users N          Developers in the world (default 20000); scales the work
              --max-users N      Cap on users.json (default 5000); pruning raises threshold.json
              --batch N          Logins per updater batch (default 100)
              --repo-batch N     Repositories per spider step (default 50)
              --seed N           The world's seed (default 42)
              --refresh-hours H  Refresh users updated more than H hours ago (default 168)
              --no-progress      Plain progress lines even on a terminal
              --ack              Machine-readable acknowledgements (used by crash-demo)
              --layout L         devrank (users.json, default) or devindex (users.jsonl) for a fresh
                                 folder; a folder with data keeps its own layout
          import --from DIR      Validate a folder of DevRank (or DevIndex) files and store them durably in
                                 --data, which must be empty or new
              --force            Import into a folder that is not empty: each file replaced is kept as
                                 <name>.bak beside it
          inspect                Each store's entries, size, last write; stale temp and backup files
          crash-demo             kill -9 the job at random moments and check nothing is lost or corrupt
                                 (data in --data, default $TMPDIR/devrank-crash-demo; a folder the demo made,
                                 marked by its .devrank-crash-demo file, is emptied first; any other that is
                                 not empty is refused)
              --kills N          How many kills (default 100)
              --seed N           Seed of the kill moments and of the world (default 42)
              --force            Use a folder the demo did not make: it is moved aside whole to DIR.bak
              --layout L         devrank (default) or devindex
        """;
}

/// <summary>A mistake on the command line; the message is shown with the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
