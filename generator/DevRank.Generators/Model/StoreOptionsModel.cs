using DevRank.Generators.Runtime;

namespace DevRank.Generators.Model;

/// <summary>The attribute's save and lock options; each is null (or its default) where it is the runtime's default.</summary>
/// <param name="Durability">The runtime's <see cref="Runtime.Durability"/> (the same enum, linked from its source); emitted by name.</param>
/// <param name="LockTimeoutMilliseconds">How long <c>Update</c> waits for the store's lock.</param>
/// <param name="KeepBackup">Keep the replaced version as <c>&lt;name&gt;.bak</c>.</param>
/// <param name="FinalNewline">JSON Lines: a save ends the last record with a newline. Always true for a JSON document.</param>
internal sealed record StoreOptionsModel(Durability? Durability, int? LockTimeoutMilliseconds, bool KeepBackup, bool FinalNewline = true)
{
    public static StoreOptionsModel Default { get; } = new(null, null, false);

    public bool IsDefault => Durability is null && LockTimeoutMilliseconds is null && !KeepBackup && FinalNewline;

    /// <summary>True when the runtime needs an <c>AtomicWriteOptions</c> other than its default.</summary>
    public bool HasWriteOptions => Durability is not null || KeepBackup;
}
