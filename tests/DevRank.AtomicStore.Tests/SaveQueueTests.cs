namespace DevRank.AtomicStore.Tests;

/// <summary>The group commit of one file's saves, with writes that only count and take a little time.</summary>
public sealed class SaveQueueTests
{
    [Fact]
    public async Task A_burst_of_64_SaveAsync_calls_costs_a_few_writes_and_ends_with_the_newest_state()
    {
        SaveQueue queue = SaveQueue.For(Path.Combine(Path.GetTempPath(), "save-queue-" + Guid.NewGuid().ToString("N")));
        var log = new WriteLog();

        await Task.WhenAll(Enumerable.Range(1, 64).Select(i => queue.SaveAsync(new CountingWrite(log, i))).ToArray());

        // The first write carries the first state; everything queued during it shares the second.
        Assert.InRange(log.Written.Count, 1, 3);
        Assert.Equal(64, log.Written[^1]);
    }

    [Fact]
    public void Synchronous_saves_from_many_threads_all_return_and_share_writes()
    {
        SaveQueue queue = SaveQueue.For(Path.Combine(Path.GetTempPath(), "save-queue-" + Guid.NewGuid().ToString("N")));
        var log = new WriteLog();

        Parallel.For(1, 33, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => queue.Save(new CountingWrite(log, i)));

        Assert.InRange(log.Written.Count, 1, 32);
    }

    [Fact]
    public async Task Mixed_sync_and_async_saves_all_complete()
    {
        SaveQueue queue = SaveQueue.For(Path.Combine(Path.GetTempPath(), "save-queue-" + Guid.NewGuid().ToString("N")));
        var log = new WriteLog();

        Task[] tasks = Enumerable.Range(0, 40).Select(i => i % 2 == 0
            ? queue.SaveAsync(new CountingWrite(log, i))
            : Task.Run(() => queue.Save(new CountingWrite(log, i)))).ToArray();

        // The bound only detects a hang.
        await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(40, tasks.Count(t => t.IsCompletedSuccessfully));
    }

    private sealed class WriteLog
    {
        public List<int> Written { get; } = [];
    }

    private sealed class CountingWrite(WriteLog log, int state) : PendingWrite
    {
        public override void Run(string path)
        {
            Thread.Sleep(20); // about an fsync on a slow disk: long enough for the burst to queue behind it
            lock (log)
            {
                log.Written.Add(state);
            }
        }
    }
}
