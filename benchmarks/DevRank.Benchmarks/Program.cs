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

        // A practical job for a shared 2-core box: 12 measured iterations of ~250 ms each after 10 warm-up
        // iterations. The warm-up is long on purpose: tiered compilation needs about a second to move a save path to
        // optimised code, and the disk's fsync latency in a fresh folder keeps falling for the first seconds
        // (docs/benchmarks.md, Findings); with 3 warm-ups, whichever benchmark's pilot stage converged first was
        // measured before either settled. A job given on the command line (--job dry for the smoke run) replaces it.
        if (!args.Any(a => a is "--job" or "-j"))
        {
            config = config.AddJob(Job.Default
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
