namespace DevRank.Sample.Job;

/// <summary>What one run of the job does.</summary>
internal sealed record JobOptions
{
    /// <summary>The data folder (created when missing).</summary>
    public required string DataDir { get; init; }

    /// <summary>About how many developers the offline world holds; the spider reaches most of them.</summary>
    public int WorldUsers { get; init; } = 20000;

    /// <summary>The cap on <c>users.json</c>; pruning beyond it raises <c>threshold.json</c>.</summary>
    public int MaxUsers { get; init; } = 5000;

    /// <summary>Logins enriched per batch (one users save, one tracker save).</summary>
    public int Batch { get; init; } = 100;

    /// <summary>Repositories crawled per spider step (one tracker save, one visited save).</summary>
    public int RepoBatch { get; init; } = 50;

    /// <summary>The world's seed.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Users updated longer ago than this are refreshed, oldest first.</summary>
    public TimeSpan RefreshAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The layout a new or empty data folder gets (DevRank's <c>users.json</c> or DevIndex's <c>users.jsonl</c>); a
    /// folder that holds data keeps its own (<see cref="Stores.Layout.Detect"/>).
    /// </summary>
    public Stores.Generation Layout { get; init; } = Stores.Generation.DevRank;

    /// <summary>The clock; tests and the crash demo use the real one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Validates the numbers.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(DataDir);
        ArgumentOutOfRangeException.ThrowIfLessThan(WorldUsers, 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxUsers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RepoBatch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(RefreshAfter, TimeSpan.Zero);
    }
}

/// <summary>What a run did, and the state it left.</summary>
internal sealed record JobResult
{
    public int ReposVisited { get; init; }
    public int LoginsDiscovered { get; init; }
    public int UsersUpdated { get; init; }
    public int UsersPruned { get; init; }
    public int BlockedRemoved { get; init; }
    public int Users { get; init; }
    public int Tracked { get; init; }
    public int Pending { get; init; }
    public int Visited { get; init; }
    public int Threshold { get; init; }
    public int Saves { get; init; }
    public int Appends { get; init; }
    public long BytesWritten { get; init; }
    public TimeSpan SaveTime { get; init; }
    public TimeSpan Elapsed { get; init; }
}

/// <summary>Hears what the job does: progress for a bar, acknowledgements for the crash demo.</summary>
internal interface IJobObserver
{
    /// <summary>A phase starts with <paramref name="total"/> units of work.</summary>
    void PhaseStarted(JobPhase phase, int total);

    /// <summary><paramref name="done"/> more units of <paramref name="phase"/> are durable.</summary>
    void Advanced(JobPhase phase, int done);

    /// <summary>
    /// Work that is durable in every store it touches, in the line format of <c>--ack</c>:
    /// <c>repo &lt;key&gt;</c>, <c>user &lt;login&gt; &lt;lu&gt; &lt;tc&gt; kept|below</c> or <c>history &lt;run&gt; &lt;batch&gt;</c>.
    /// </summary>
    void Acknowledged(string line);
}

/// <summary>The job's phases.</summary>
internal enum JobPhase
{
    Spider,
    Update,
}

/// <summary>An observer that ignores everything.</summary>
internal sealed class NullObserver : IJobObserver
{
    public static readonly NullObserver Instance = new();

    public void PhaseStarted(JobPhase phase, int total) { }

    public void Advanced(JobPhase phase, int done) { }

    public void Acknowledged(string line) { }
}
