namespace DevRank.AtomicStore;

internal static class JsonFileStoreDefaults
{
    public const int LockTimeoutMilliseconds = 30_000;

    /// <summary>Files up to this size are read into one pooled buffer and parsed in one go; larger ones are streamed.</summary>
    public const int WholeReadLimit = 1 << 20;
}
