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
    private bool _writing;
    private bool _swept;

    private SaveQueue(string path) => _path = path;

    /// <summary>The queue of the file at <paramref name="path"/> (a full path).</summary>
    public static SaveQueue For(string path) => Queues.GetOrAdd(path, static p => new SaveQueue(p));

    /// <summary>Queues <paramref name="write"/> and blocks until it, or a newer write, is durable.</summary>
    public void Save(PendingWrite write)
    {
        Batch batch = Enqueue(write, out bool leader);
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
        Batch batch = Enqueue(write, out bool leader);
        if (leader)
        {
            _ = Task.Run(() => RunUntil(null));
        }

        return batch.Done.Task;
    }

    private Batch Enqueue(PendingWrite write, out bool leader)
    {
        lock (_sync)
        {
            Batch batch = _pending ??= new Batch();
            batch.Write = write;
            leader = !_writing;
            _writing = true;
            return batch;
        }
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
                    _writing = false;
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
                        _writing = false;
                        return;
                    }
                }

                _ = Task.Run(() => RunUntil(null));
                return;
            }
        }
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
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>One state waiting to be written to a file.</summary>
internal abstract class PendingWrite
{
    public abstract void Run(string path);
}
