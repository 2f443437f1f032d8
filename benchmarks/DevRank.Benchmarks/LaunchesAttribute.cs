using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;

namespace DevRank.Benchmarks;

/// <summary>
/// Runs a class's benchmarks in <paramref name="count"/> processes under the default job ("Shared2Core"). A job or a
/// <c>--launchCount</c> given on the command line (<c>--job dry</c> for the smoke run) keeps its own launch count.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class LaunchesAttribute(int count)
    : JobMutatorConfigBaseAttribute(Program.UsesClassLaunchCounts ? Job.Default.WithLaunchCount(count) : Job.Default);
