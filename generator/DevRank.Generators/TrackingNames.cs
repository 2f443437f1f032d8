namespace DevRank.Generators;

/// <summary>Names of the pipeline steps, so tests can check that each one caches.</summary>
internal static class TrackingNames
{
    /// <summary>Types with <c>[AtomicStore]</c>, turned into models (null for those the generator cannot handle).</summary>
    public const string Stores = nameof(Stores);

    /// <summary>The models of the stores the generator can handle.</summary>
    public const string ValidStores = nameof(ValidStores);
}
