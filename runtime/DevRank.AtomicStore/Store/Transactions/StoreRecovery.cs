using System.Globalization;

namespace DevRank.AtomicStore;

/// <summary>
/// What a recovery did in a store folder: finished a commit that a crash interrupted (rolled it forward from its
/// journal), or removed the temps of commits that never happened. Recoveries are never silent: each is returned by
/// <see cref="StoreTransaction.Recover"/> when that call made it, raised as <see cref="StoreTransaction.Recovered"/>
/// whoever made it, and written as a warning to <see cref="System.Diagnostics.Trace"/>.
/// </summary>
public sealed class StoreRecovery
{
    internal StoreRecovery(string folder, string? journalPath, string? transactionId, IReadOnlyList<string> rolledForward, IReadOnlyList<string> alreadyInPlace, IReadOnlyList<string> discarded)
    {
        Folder = folder;
        JournalPath = journalPath;
        TransactionId = transactionId;
        RolledForward = rolledForward;
        AlreadyInPlace = alreadyInPlace;
        Discarded = discarded;
    }

    /// <summary>The store folder (full path).</summary>
    public string Folder { get; }

    /// <summary>The journal of the commit that was finished; null when only uncommitted temps were removed.</summary>
    public string? JournalPath { get; }

    /// <summary>The identity of the commit that was finished (16 hex digits), as its journal recorded it; null when none was.</summary>
    public string? TransactionId { get; }

    /// <summary>Store files that this recovery renamed into place: the commit had not reached them before the crash.</summary>
    public IReadOnlyList<string> RolledForward { get; }

    /// <summary>Store files of the finished commit that were in place already (renamed before the crash).</summary>
    public IReadOnlyList<string> AlreadyInPlace { get; }

    /// <summary>Temps of commits that never happened (the process died before their journal existed), now deleted.</summary>
    public IReadOnlyList<string> Discarded { get; }

    /// <summary>One line that says what happened, for a log.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => TransactionId is null
        ? string.Create(CultureInfo.InvariantCulture, $"DevRank.AtomicStore: in '{Folder}', removed {Discarded.Count} temp(s) of a commit that never happened: {string.Join(", ", Discarded)}")
        : string.Create(CultureInfo.InvariantCulture, $"DevRank.AtomicStore: in '{Folder}', finished commit {TransactionId} that a crash interrupted: {RolledForward.Count} store(s) rolled forward ({string.Join(", ", RolledForward)}), {AlreadyInPlace.Count} already in place.");
}
