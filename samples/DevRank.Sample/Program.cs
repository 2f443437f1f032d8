using DevRank.AtomicStore;
using DevRank.Sample;
using DevRank.Sample.Commands;
using Spectre.Console;

// DevRank's spider and updater on generated [AtomicStore] stores. See docs/sample.md.
try
{
    Cli cli = Cli.Parse(args);
    if (cli.Has("--help") || cli.Has("-h") || cli.Command is "help")
    {
        Console.WriteLine(Cli.Usage);
        return 0;
    }

    string dataDir = Path.GetFullPath(cli.Text("--data") ?? Path.Combine(Environment.CurrentDirectory, "devrank-data"));
    return cli.Command switch
    {
        "run" => Ui.Run(cli, dataDir),
        "import" => Ui.Import(cli, dataDir),
        "inspect" => Ui.Inspect(cli, dataDir),
        "crash-demo" => Ui.CrashDemo(cli, dataDir),
        _ => throw new UsageException($"unknown command '{cli.Command}'"),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine(Cli.Usage);
    return 2;
}
catch (Exception ex) when (ex is AtomicStoreException or DirectoryNotFoundException)
{
    // A store that cannot be loaded or saved: the typed error names the file and the state it was left in.
    AnsiConsole.Console.MarkupLine($"[red]{Markup.Escape(ex.GetType().Name)}[/]: {Markup.Escape(ex.Message)}");
    return 3;
}
