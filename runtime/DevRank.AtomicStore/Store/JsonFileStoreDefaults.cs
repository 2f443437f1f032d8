namespace DevRank.AtomicStore;

internal static class JsonFileStoreDefaults
{
    public const int LockTimeoutMilliseconds = 30_000;

    /// <summary>
    /// Files up to this size are read into one buffer (validated as UTF-8) and parsed in one go; larger ones
    /// are streamed. Parsing a span is 5-20% faster than System.Text.Json's resumable stream path (docs/benchmarks.md),
    /// and the document's objects take two to three times the file's size anyway, so the buffer adds at most about a
    /// third to a load's peak memory; above 64 MiB the stream keeps that peak bounded.
    /// </summary>
    public const int WholeReadLimit = 64 << 20;

    /// <summary>Whole-file buffers up to this size come from the shared pool; larger ones are plain arrays.</summary>
    public const int PooledReadLimit = 1 << 20;
}
