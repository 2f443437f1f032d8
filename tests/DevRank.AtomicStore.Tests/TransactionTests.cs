using System.Diagnostics;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>What a transaction promises in one process: all or nothing, its own reads and writes, its locks, its end.</summary>
public sealed class TransactionTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder => _dir.Path;

    [Fact]
    public void A_commit_changes_every_store_and_leaves_no_journal_or_temp()
    {
        SaveAll(1);

        using (StoreTransaction tx = StoreTransaction.Begin(Folder))
        {
            tx.Update<Cell<A>>(c => c with { Value = c.Value + 1 });
            tx.Update<Cell<B>>(c => c with { Value = c.Value + 1 });
            tx.Save(new Cell<C>(2));
            tx.Update<Cell<D>>(c => c with { Value = c.Value + 1 });
            tx.Commit();
        }

        Assert.Equal([2, 2, 2, 2], Values());
        AssertNoLeftovers();
    }

    [Fact]
    public void Disposing_without_a_commit_leaves_every_file_as_it_was()
    {
        SaveAll(1);
        Dictionary<string, byte[]> before = Snapshot();

        using (StoreTransaction tx = StoreTransaction.Begin(Folder))
        {
            tx.Update<Cell<A>>(c => c with { Value = 9 });
            tx.Save(new Cell<B>(9));
            tx.Save(new Cell<D>(9));
        }

        Assert.Equal(before, Snapshot());
        AssertNoLeftovers();
    }

    [Fact]
    public async Task An_async_commit_and_async_dispose_work_like_the_sync_ones()
    {
        SaveAll(1);
        await using (StoreTransaction tx = await StoreTransaction.BeginAsync(Folder))
        {
            tx.Save(new Cell<A>(5));
            tx.Save(new Cell<B>(5));
            await tx.CommitAsync();
        }

        await using (StoreTransaction tx = await StoreTransaction.BeginAsync(Folder))
        {
            tx.Save(new Cell<A>(6));
        }

        Assert.Equal(5, Cell<A>.Load(Folder).Value);
        Assert.Equal(5, Cell<B>.Load(Folder).Value);
    }

    [Fact]
    public async Task A_cancelled_async_commit_changes_nothing()
    {
        SaveAll(1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        using StoreTransaction tx = StoreTransaction.Begin(Folder);
        tx.Save(new Cell<A>(5));
        tx.Save(new Cell<B>(5));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => tx.CommitAsync(cancelled.Token));

        Assert.Equal([1, 1, 1, 1], Values());
    }

    [Fact]
    public void Loads_and_updates_see_what_the_transaction_itself_saved()
    {
        SaveAll(1);
        using StoreTransaction tx = StoreTransaction.Begin(Folder);

        Assert.Equal(1, tx.Load<Cell<A>>().Value);
        tx.Save(new Cell<A>(10));
        Assert.Equal(10, tx.Load<Cell<A>>().Value);
        Assert.Equal(11, tx.Update<Cell<A>>(c => c with { Value = c.Value + 1 }).Value);
        Assert.Equal(12, tx.Update<Cell<A>>(c => c with { Value = c.Value + 1 }).Value);
        Assert.True(tx.TryLoad<Cell<A>>(out var a));
        Assert.Equal(12, a.Value);
        // Nothing reached the disk before the commit.
        Assert.Equal(1, Cell<A>.Load(Folder).Value);

        tx.Commit();
        Assert.Equal(12, Cell<A>.Load(Folder).Value);
    }

    [Fact]
    public void Missing_stores_are_created_only_when_the_update_says_how()
    {
        using StoreTransaction tx = StoreTransaction.Begin(Folder);

        Assert.False(tx.TryLoad<Cell<A>>(out _));
        Assert.Throws<StoreNotFoundException>(() => tx.Load<Cell<A>>());
        Assert.Throws<StoreNotFoundException>(() => tx.Update<Cell<A>>(c => c));
        Assert.Equal(1, tx.Update<Cell<A>>(c => c with { Value = c.Value + 1 }, () => new Cell<A>(0)).Value);
        tx.Update<Cell<D>>(c => c with { Value = 7 }, () => new Cell<D>(0));
        tx.Commit();

        Assert.Equal(1, Cell<A>.Load(Folder).Value);
        Assert.Equal(7, Cell<D>.Load(Folder).Value); // its sub-folder created on the way
    }

    [Fact]
    public void Null_values_are_refused_and_change_nothing()
    {
        SaveAll(1);
        using StoreTransaction tx = StoreTransaction.Begin(Folder);

        Assert.Equal("value", Assert.Throws<ArgumentNullException>(() => tx.Save<Cell<A>>(null!)).ParamName);
        Assert.Equal("change", Assert.Throws<ArgumentNullException>(() => tx.Update<Cell<A>>(_ => null!)).ParamName);
        tx.Save(new Cell<B>(2));
        tx.Commit();

        Assert.Equal([1, 2, 1, 1], Values());
    }

    [Fact]
    public void A_change_that_throws_leaves_the_transaction_usable()
    {
        SaveAll(1);
        using StoreTransaction tx = StoreTransaction.Begin(Folder);

        Assert.Throws<InvalidOperationException>(() => tx.Update<Cell<A>>(_ => throw new InvalidOperationException("no")));
        tx.Update<Cell<A>>(c => c with { Value = 3 });
        tx.Commit();

        Assert.Equal(3, Cell<A>.Load(Folder).Value);
    }

    [Fact]
    public void A_transaction_commits_once_and_is_over_afterwards()
    {
        using StoreTransaction tx = StoreTransaction.Begin(Folder);
        tx.Save(new Cell<A>(1));
        tx.Commit();

        Assert.Throws<InvalidOperationException>(tx.Commit);
        Assert.Throws<InvalidOperationException>(() => tx.Save(new Cell<A>(2)));
        Assert.Throws<InvalidOperationException>(() => tx.Load<Cell<B>>());
        Assert.Equal(1, Cell<A>.Load(Folder).Value);
    }

    [Fact]
    public void Two_store_types_of_one_file_cannot_both_take_part()
    {
        using StoreTransaction tx = StoreTransaction.Begin(Folder);
        tx.Save(new Cell<A>(1));

        Assert.Throws<InvalidOperationException>(() => tx.Save(new Cell<SameAsA>(2)));
    }

    [Fact]
    public async Task A_transaction_holds_each_store_it_touched_until_it_ends()
    {
        SaveAll(1);
        var store = JsonFileStore.CreateWithReflection<Cell<A>>("a.json", lockTimeout: TimeSpan.FromMilliseconds(200));
        using (StoreTransaction tx = StoreTransaction.Begin(Folder))
        {
            tx.Load<Cell<A>>();

            // Another thread's update of the same store waits for the transaction (and here times out).
            await Assert.ThrowsAsync<StoreLockTimeoutException>(() => Task.Run(() => store.Update(Folder, c => c with { Value = 100 })));
            tx.Save(new Cell<A>(2));
            tx.Commit();
        }

        // Once it ended, the lock is free again.
        Assert.Equal(3, store.Update(Folder, c => c with { Value = c.Value + 1 }).Value);
    }

    [Fact]
    public void An_update_of_a_store_the_transaction_holds_on_the_same_thread_fails_at_once()
    {
        SaveAll(1);
        using StoreTransaction tx = StoreTransaction.Begin(Folder);
        tx.Load<Cell<A>>();
        var clock = Stopwatch.StartNew();

        Assert.Throws<LockRecursionException>(() => Cell<A>.Store.Update(Folder, c => c));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), "waited for its own lock");
    }

    [Fact]
    public void A_commit_of_one_store_is_a_plain_save_without_journal_or_commit_lock()
    {
        SaveAll(1);

        using (StoreTransaction tx = StoreTransaction.Begin(Folder))
        {
            tx.Load<Cell<B>>();
            tx.Update<Cell<A>>(c => c with { Value = 2 });
            tx.Commit();
        }

        Assert.Equal([2, 1, 1, 1], Values());
        // The commit lock file is made by the first commit of several stores (or a snapshot, or Recover): not here.
        Assert.False(File.Exists(Path.Combine(Folder, ".devrank-commit.journal-lock")));
        AssertNoLeftovers();
    }

    [Fact]
    public async Task A_read_snapshot_never_sees_part_of_one_commit_and_part_of_another()
    {
        SaveAll(0);
        long commits = 0, reads = 0;
        var mixes = new List<string>();

        Task writer = Task.Run(() =>
        {
            for (long n = 1; n <= 150; n++)
            {
                using StoreTransaction tx = StoreTransaction.Begin(Folder);
                tx.Save(new Cell<A>(n));
                tx.Save(new Cell<B>(n));
                tx.Save(new Cell<D>(n));
                tx.Commit();
                Interlocked.Increment(ref commits);
            }
        });
        Task reader = Task.Run(() =>
        {
            while (!writer.IsCompleted)
            {
                using StoreSnapshot snapshot = StoreTransaction.Read(Folder);
                long a = snapshot.Load<Cell<A>>().Value, b = snapshot.Load<Cell<B>>().Value, d = snapshot.Load<Cell<D>>().Value;
                if (a != b || b != d)
                {
                    lock (mixes)
                    {
                        mixes.Add($"{a}/{b}/{d}");
                    }
                }

                Interlocked.Increment(ref reads);
            }
        });

        await Task.WhenAll(writer, reader);
        Assert.Empty(mixes);
        Assert.True(reads > 0);
        Assert.Equal(150, commits);
    }

    [Fact]
    public void A_snapshot_of_a_folder_that_does_not_exist_holds_nothing_and_creates_nothing()
    {
        string missing = Path.Combine(Folder, "missing");
        using (StoreSnapshot snapshot = StoreTransaction.Read(missing))
        {
            Assert.False(snapshot.TryLoad<Cell<A>>(out _));
            Assert.Throws<StoreNotFoundException>(() => snapshot.Load<Cell<A>>());
        }

        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Updating_a_store_while_a_snapshot_is_open_on_the_same_thread_is_refused_at_once()
    {
        SaveAll(1);
        using StoreSnapshot snapshot = StoreTransaction.Read(Folder);

        Assert.Throws<InvalidOperationException>(() => Cell<A>.Store.Update(Folder, c => c));
        using StoreTransaction tx = StoreTransaction.Begin(Folder);
        Assert.Throws<InvalidOperationException>(() => tx.Load<Cell<A>>());
    }

    [Fact]
    public async Task Touching_stores_in_opposite_orders_from_two_threads_never_deadlocks_nor_loses_an_update()
    {
        SaveAll(0);
        const int Rounds = 60;
        Task forward = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                StoreTransaction.Run(Folder, tx =>
                {
                    tx.Update<Cell<A>>(c => c with { Value = c.Value + 1 });
                    tx.Update<Cell<B>>(c => c with { Value = c.Value + 1 });
                }, TimeSpan.FromSeconds(20));
            }
        });
        Task backward = Task.Run(() =>
        {
            for (int i = 0; i < Rounds; i++)
            {
                StoreTransaction.Run(Folder, tx =>
                {
                    tx.Update<Cell<B>>(c => c with { Value = c.Value + 1 });
                    tx.Update<Cell<A>>(c => c with { Value = c.Value + 1 });
                }, TimeSpan.FromSeconds(20));
            }
        });

        await Task.WhenAll(forward, backward).WaitAsync(TimeSpan.FromSeconds(60)); // a deadlock would time out
        Assert.Equal(2 * Rounds, Cell<A>.Load(Folder).Value);
        Assert.Equal(2 * Rounds, Cell<B>.Load(Folder).Value);
    }

    [Fact]
    public async Task A_store_changed_while_an_out_of_order_touch_let_go_of_it_ends_the_transaction_with_a_conflict()
    {
        SaveAll(0);
        using StoreTransaction first = StoreTransaction.Begin(Folder);
        first.Load<Cell<A>>(); // holds a.json

        StoreTransactionConflictException? conflict = null;
        using var secondReadB = new ManualResetEventSlim();
        Task second = Task.Run(() =>
        {
            using StoreTransaction tx = StoreTransaction.Begin(Folder);
            tx.Update<Cell<B>>(c => c with { Value = c.Value + 10 }); // holds and read b.json
            secondReadB.Set();
            try
            {
                // a.json comes before b.json and is busy: it lets go of b.json and waits for a.json.
                tx.Update<Cell<A>>(c => c with { Value = c.Value + 10 });
                tx.Commit();
            }
            catch (StoreTransactionConflictException ex)
            {
                conflict = ex;
            }
        });

        secondReadB.Wait();
        // In order for the first: b.json, which the second lets go of rather than deadlock.
        first.Update<Cell<B>>(c => c with { Value = c.Value + 1 });
        first.Update<Cell<A>>(c => c with { Value = c.Value + 1 });
        first.Commit();
        await second.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotNull(conflict);
        Assert.Equal(Cell<B>.Store.GetPath(Folder), conflict.FilePath);
        Assert.Equal(1, Cell<A>.Load(Folder).Value);
        Assert.Equal(1, Cell<B>.Load(Folder).Value);
        AssertNoLeftovers();
    }

    [Fact]
    public async Task Run_runs_a_conflicting_body_again_with_every_store_it_touched_locked_in_order()
    {
        SaveAll(0);
        using StoreTransaction first = StoreTransaction.Begin(Folder);
        first.Load<Cell<A>>();
        int attempts = 0;
        using var readB = new ManualResetEventSlim();
        Task second = Task.Run(() => StoreTransaction.Run(Folder, tx =>
        {
            attempts++;
            tx.Update<Cell<B>>(c => c with { Value = c.Value + 10 });
            readB.Set();
            tx.Update<Cell<A>>(c => c with { Value = c.Value + 10 });
        }));

        readB.Wait();
        first.Update<Cell<B>>(c => c with { Value = c.Value + 1 });
        first.Update<Cell<A>>(c => c with { Value = c.Value + 1 });
        first.Commit();
        await second.WaitAsync(TimeSpan.FromSeconds(30));

        // The first attempt conflicted over b.json; the second held a.json and b.json, in order, before its body ran.
        Assert.Equal(2, attempts);
        Assert.Equal(11, Cell<A>.Load(Folder).Value);
        Assert.Equal(11, Cell<B>.Load(Folder).Value);
    }

    [SkippableFact]
    public void A_store_file_that_links_outside_the_folder_cannot_take_part()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        string outside = Path.Combine(Folder, "elsewhere");
        string inside = Path.Combine(Folder, "stores");
        Directory.CreateDirectory(outside);
        Directory.CreateDirectory(inside);
        File.CreateSymbolicLink(Path.Combine(inside, "a.json"), Path.Combine(outside, "a.json"));

        using StoreTransaction tx = StoreTransaction.Begin(inside);
        InvalidOperationException error = Assert.Throws<InvalidOperationException>(() => tx.Save(new Cell<A>(1)));
        Assert.Contains("outside", error.Message, StringComparison.Ordinal);
    }

    private void SaveAll(long value)
    {
        new Cell<A>(value).Save(Folder);
        new Cell<B>(value).Save(Folder);
        new Cell<C>(value).Save(Folder);
        new Cell<D>(value).Save(Folder);
    }

    private long[] Values() =>
        [Cell<A>.Load(Folder).Value, Cell<B>.Load(Folder).Value, Cell<C>.Load(Folder).Value, Cell<D>.Load(Folder).Value];

    private Dictionary<string, byte[]> Snapshot() =>
        Directory.GetFiles(Folder, "*.json", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

    private void AssertNoLeftovers()
    {
        Assert.False(File.Exists(Path.Combine(Folder, ".devrank-commit.journal")));
        Assert.False(File.Exists(Path.Combine(Folder, ".devrank-commit.journal-new")));
        Assert.Empty(Directory.GetFiles(Folder, "*.txn", SearchOption.AllDirectories));
        Assert.Empty(_dir.Temps());
    }
}
