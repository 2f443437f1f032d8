using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Perfolizer.Horology;

namespace DevRank.Benchmarks;

public static class Program
{
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

        if (args.Length > 1 && args[0] == "loop")
        {
            return ProfileLoop.Run(args[1..]);
        }

        IConfig config = DefaultConfig.Instance
            .AddColumn(StatisticColumn.Median);

        // A practical job for a shared 2-core box: 3 processes per benchmark, each 12 measured iterations of
        // ~250 ms after 10 warm-up iterations. Three processes, because this VM's fsync latency drifts by ±12 % from
        // one process to the next (the same bare protocol in 8 consecutive processes: 367-469 us, docs/benchmarks.md),
        // more than the 10 % a durable-save target allows; the median over three launches is what is quoted. The warm-up is long on purpose: tiered compilation needs about a second to move a save path to
        // optimised code, and the disk's fsync latency in a fresh folder keeps falling for the first seconds
        // (docs/benchmarks.md, Findings); with 3 warm-ups, whichever benchmark's pilot stage converged first was
        // measured before either settled. A job given on the command line (--job dry for the smoke run) replaces it.
        if (!args.Any(a => a is "--job" or "-j"))
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
