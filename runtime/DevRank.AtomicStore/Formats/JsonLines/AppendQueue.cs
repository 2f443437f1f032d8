namespace DevRank.AtomicStore;

/// <summary>
/// Group commit for the appends of one file in this process. Appends that arrive while a group is being written wait
/// together; the next writer takes them all, writes each (one write(2) apiece, in arrival order) under one hold of the
/// store's lock and makes them durable with one fsync. Unlike <see cref="SaveQueue"/>, where the newest state wins,
/// every append is written. Each caller returns when its lines are durable, or gets the exception of the group that
/// carried them (a failed group is taken back off the file whole).
/// </summary>
internal sealed class AppendQueue(Func<IReadOnlyList<JsonLineBuffer>, JsonLinesTail?> writeGroup, Action<JsonLinesTail> reportCut)
{
    private readonly object _sync = new();
    private List<Batch> _pending = [];
    private Writer _writer;

    /// <summary>Who writes the pending appends: nobody, a work item queued on the pool, or a running thread.</summary>
    private enum Writer
    {
        None,
        Queued,
        Running,
    }

    /// <summary>
    /// Queues <paramref name="lines"/> and blocks until they are durable. Never waits for a pool thread: when nobody is
    /// writing, this thread writes the whole pending group itself (as <see cref="SaveQueue.Save"/> does).
    /// </summary>
    public void Append(JsonLineBuffer lines)
    {
        var batch = new Batch(lines);
        bool leader = false;
        lock (_sync)
        {
            _pending.Add(batch);
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
            RunUntil(batch);
        }

        batch.Done.Task.GetAwaiter().GetResult();
    }

    /// <summary>Queues <paramref name="lines"/>; the task completes when they are durable.</summary>
    public Task AppendAsync(JsonLineBuffer lines)
    {
        var batch = new Batch(lines);
        bool queue;
        lock (_sync)
        {
            _pending.Add(batch);
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

    /// <summary>Writes groups until <paramref name="own"/> is done (or, for the pool, until none is left), then hands on.</summary>
    private void RunUntil(Batch? own)
    {
        List<JsonLinesTail> cuts = [];
        while (true)
        {
            List<Batch> group;
            lock (_sync)
            {
                if (_pending.Count == 0)
                {
                    StopWriting(Writer.None);
                    break;
                }

                group = _pending;
                _pending = [];
            }

            if (Write(group) is { } cut)
            {
                cuts.Add(cut);
            }

            if (own is not null && own.Completed)
            {
                // No caller writes forever: a newer group goes to a waiting caller or the pool.
                bool more;
                lock (_sync)
                {
                    more = _pending.Count > 0;
                    StopWriting(more ? Writer.Queued : Writer.None);
                }

                if (more)
                {
                    _ = Task.Run(RunQueued);
                }

                break;
            }
        }

        // Reported once nobody waits on this thread any more, outside every lock.
        foreach (JsonLinesTail cut in cuts)
        {
            reportCut(cut);
        }
    }

    private JsonLinesTail? Write(List<Batch> group)
    {
        JsonLinesTail? cut = null;
        Exception? error = null;
        try
        {
            cut = writeGroup(group.ConvertAll(static batch => batch.Lines));
        }
        catch (Exception ex)
        {
            error = ex;
        }

        foreach (Batch batch in group)
        {
            if (error is null)
            {
                batch.Done.SetResult();
            }
            else
            {
                batch.Done.SetException(error);
            }
        }

        lock (_sync)
        {
            foreach (Batch batch in group)
            {
                batch.Completed = true;
            }

            Monitor.PulseAll(_sync);
        }

        return cut;
    }

    /// <summary>Under <see cref="_sync"/>: hands the writing on and wakes synchronous callers, one of whom may take it.</summary>
    private void StopWriting(Writer next)
    {
        _writer = next;
        Monitor.PulseAll(_sync);
    }

    private sealed class Batch(JsonLineBuffer lines)
    {
        public JsonLineBuffer Lines { get; } = lines;

        public bool Completed; // under _sync, after Done is set

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
