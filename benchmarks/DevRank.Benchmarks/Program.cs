using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace DevRank.Benchmarks;

public static class Program
{
    /// <summary>
    /// True when neither a job nor a launch count was given on the command line, so that a class's
    /// <see cref="LaunchesAttribute"/> applies; set before BenchmarkDotNet reads any attribute.
    /// </summary>
    internal static bool UsesClassLaunchCounts { get; private set; }

    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "peer")
        {
            return PeerComparison.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "paired")
        {
            return Paired.Run(args[1..]);
        }

        if (args.Length > 0 && args[0] == "paired-tx")
        {
            return Paired.RunTransaction(args[1..]);
        }

        if (args.Length > 0 && args[0] == "store-memory")
        {
            return StoreCountBenchmarks.MeasureRetained(args[1..]);
        }

        if (args.Length > 1 && args[0] == "loop")
        {
            return ProfileLoop.Run(args[1..]);
        }

        IConfig config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median);

        // A practical job for a shared 2-core box: 3 processes per benchmark, each 12 measured iterations of
        // ~250 ms after 10 warm-up iterations. Three processes, because this VM's fsync latency drifts by about
        // 12 % from one process to the next (the same bare protocol in 8 consecutive processes: 367-469 us), more
        // than a durable-save target allows; BenchmarkDotNet's median is over all three. Ten warm-ups, because
        // tiered compilation needs about a second to move a save path to optimised code and a fresh folder's fsync
        // latency keeps falling for the first seconds (docs/benchmarks.md, Findings 4 and 5). The atomic-only class
        // runs in nine processes ([Launches(9)], Findings 9). A job given on the command line (--job dry for the
        // smoke run) replaces this one.
        bool defaultJob = !args.Any(a => a is "--job" or "-j");
        UsesClassLaunchCounts = defaultJob && !args.Contains("--launchCount");
        if (defaultJob)
        {
            config = config.AddJob(Job.Default
                .WithLaunchCount(3)
                .WithWarmupCount(10)
                .WithIterationCount(12)
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                .WithId("Shared2Core")
                .AsDefault());
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }
}
