using System.Diagnostics;

namespace DevRank.AtomicStore;

/// <summary>
/// The in-process half of a store's update lock: one holder at a time among this process's threads. Unlike
/// <c>SemaphoreSlim.WaitAsync</c>, an asynchronous waiter is never handed the gate
/// while it is not running: a release only wakes the waiters, and whoever runs first takes the gate. A handed-over
/// gate would belong to a continuation that needs a pool thread to run; with the pool's threads all blocked on
/// updates (sync over async), the gate then sits idle while the queue behind it times out (issue item 12).
/// </summary>
internal sealed class StoreGate
{
    private readonly object _sync = new();
    private bool _held;

    // Completed (and replaced) by every release; async waiters read it before they try the gate, so none misses a release.
    private TaskCompletionSource _released = NewSignal();

    /// <summary>Blocks until the gate is this thread's or <paramref name="timeout"/> passes.</summary>
    public bool Enter(TimeSpan timeout)
    {
        long start = Stopwatch.GetTimestamp();
        lock (_sync)
        {
            while (_held)
            {
                TimeSpan remaining = timeout - Stopwatch.GetElapsedTime(start);
                if (remaining <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_sync, remaining);
            }

            _held = true;
            return true;
        }
    }

    /// <summary>Waits without blocking a thread; true once the gate is held by the code that runs after the await.</summary>
    public async ValueTask<bool> EnterAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        while (true)
        {
            Task released = Volatile.Read(ref _released).Task;
            if (TryEnter())
            {
                return true;
            }

            TimeSpan remaining = timeout - Stopwatch.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await released.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return false;
            }
        }
    }

    public void Release()
    {
        lock (_sync)
        {
            _held = false;
            // All: a woken waiter may lose the gate to a thread that came running, or time out; the others try again.
            Monitor.PulseAll(_sync);
        }

        // After the release, so that an async waiter that read the old signal and then failed to enter is woken.
        Interlocked.Exchange(ref _released, NewSignal()).SetResult();
    }

    private bool TryEnter()
    {
        lock (_sync)
        {
            if (_held)
            {
                return false;
            }

            _held = true;
            return true;
        }
    }

    // Waiters resume on the pool, never inline in the releasing thread (which is finishing its own update).
    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
