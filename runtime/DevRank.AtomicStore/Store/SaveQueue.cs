using System.Collections.Concurrent;

namespace DevRank.AtomicStore;

/// <summary>
/// Group commit for the saves of one file in this process. Saves that arrive while a write is in flight join one
/// pending batch, and only the newest state of that batch is written; every caller returns when its state, or a
/// newer one, is durable, or gets the exception of the write that would have carried its state. A burst of N saves
/// thus costs about two writes, not N, and renames land in the order the saves were made.
/// </summary>
internal sealed class SaveQueue
{
    private static readonly ConcurrentDictionary<string, SaveQueue> Queues = new(StringComparer.Ordinal);

    private readonly object _sync = new();
    private readonly string _path;
    private Batch? _pending;
    private Writer _writer;
    private bool _swept;

    private SaveQueue(string path) => _path = path;

    /// <summary>Who writes the pending batch: nobody, a work item queued on the pool, or a running thread.</summary>
    private enum Writer
    {
        None,
        Queued,
        Running,
    }

    /// <summary>The queue of the file at <paramref name="path"/> (a full path).</summary>
    public static SaveQueue For(string path) => Queues.GetOrAdd(path, static p => new SaveQueue(p));

    /// <summary>
    /// Queues <paramref name="write"/> and blocks until it, or a newer write, is durable. Never waits for a pool
    /// thread: when no thread is writing, this one writes, even if a pool work item was queued to do it. So the holder
    /// of a store's update lock finishes its save on its own thread however busy the pool is (issue item 12).
    /// </summary>
    public void Save(PendingWrite write)
    {
        Batch batch;
        bool leader = false;
        lock (_sync)
        {
            batch = _pending ??= new Batch();
            batch.Write = write;
            // Until our batch is written: while another thread is writing, wait for it; whenever nobody is (or only
            // a queued work item would), our batch is the pending one and we write it ourselves.
            while (!batch.Completed)
            {
                if (_writer != Writer.Running)
                {
                    _writer = Writer.Running;
                    leader = true;
                    break;
                }

                Monitor.Wait(_sync);
            }
        }

        if (leader)
        {
            // Write until our own batch is done, then hand any newer batch to the pool: no caller writes forever.
            RunUntil(batch);
        }

        batch.Done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Queues <paramref name="write"/>; the task completes when it, or a newer write, is durable.</summary>
    public Task SaveAsync(PendingWrite write)
    {
        Batch batch;
        bool queue;
        lock (_sync)
        {
            batch = _pending ??= new Batch();
            batch.Write = write;
            queue = _writer == Writer.None;
            if (queue)
            {
                _writer = Writer.Queued;
            }
        }

        if (queue)
        {
            _ = Task.Run(RunQueued);
        }

        return batch.Done.Task;
    }

    /// <summary>The pool's turn, unless a synchronous caller took the writing over in the meantime.</summary>
    private void RunQueued()
    {
        lock (_sync)
        {
            if (_writer != Writer.Queued)
            {
                return;
            }

            _writer = Writer.Running;
        }

        RunUntil(null);
    }

    private void RunUntil(Batch? own)
    {
        while (true)
        {
            Batch? next;
            lock (_sync)
            {
                next = _pending;
                _pending = null;
                if (next is null)
                {
                    StopWriting(Writer.None);
                    return;
                }
            }

            Write(next);
            if (ReferenceEquals(next, own))
            {
                lock (_sync)
                {
                    if (_pending is null)
                    {
                        StopWriting(Writer.None);
                        return;
                    }

                    StopWriting(Writer.Queued);
                }

                _ = Task.Run(RunQueued);
                return;
            }
        }
    }

    /// <summary>Under <see cref="_sync"/>: hands the writing on and wakes synchronous callers, one of whom may take it.</summary>
    private void StopWriting(Writer next)
    {
        _writer = next;
        Monitor.PulseAll(_sync);
    }

    private void Write(Batch batch)
    {
        try
        {
            if (!_swept)
            {
                _swept = true;
                SweepOnce();
            }

            batch.Write!.Run(_path);
            batch.Done.SetResult();
        }
        catch (Exception ex)
        {
            batch.Done.SetException(ex);
        }

        lock (_sync)
        {
            batch.Completed = true;
            Monitor.PulseAll(_sync);
        }
    }

    /// <summary>
    /// Once per file and process: remove the temps that killed writers left (of the file and of its backup), beside
    /// the real file when the store file is a symbolic link. Best effort: a folder we may not list must not fail the save.
    /// </summary>
    private void SweepOnce()
    {
        try
        {
            string target = TargetPath.Resolve(_path);
            TempFiles.Sweep(target);
            TempFiles.Sweep(Backups.PathFor(target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next explicit SweepStaleTemps call reports it; the save itself does not depend on the sweep.
        }
    }

    private sealed class Batch
    {
        public PendingWrite? Write;
        public bool Completed; // under _sync, after Done is set
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One state waiting to be written to a file.</summary>
internal abstract class PendingWrite
{
    public abstract void Run(string path);
}
