namespace DevRank.Generators.Model;

/// <summary>The attribute's save and lock options; each is null where it is the runtime's default.</summary>
/// <param name="Durability">The underlying value of the <c>Durability</c> enum member.</param>
/// <param name="LockTimeoutMilliseconds">How long <c>Update</c> waits for the store's lock.</param>
internal sealed record StoreOptionsModel(int? Durability, int? LockTimeoutMilliseconds)
{
    public static StoreOptionsModel Default { get; } = new(null, null);

    public bool IsDefault => Durability is null && LockTimeoutMilliseconds is null;
}
