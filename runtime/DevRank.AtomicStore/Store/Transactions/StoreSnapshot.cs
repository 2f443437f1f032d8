using System.Diagnostics.CodeAnalysis;

namespace DevRank.AtomicStore;

/// <summary>
/// A consistent read of several stores of one folder (<see cref="StoreTransaction.Read"/>): while it is open, it holds
/// the folder's commit lock, which every multi-store commit holds from its journal to its last rename, so no commit can
/// be half applied while it loads. Any commit that a crash interrupted was finished before it opened. It takes no
/// store lock, so single-store updates and saves carry on meanwhile (each changes one store atomically); commits of
/// several stores wait until it is disposed. Keep it short.
/// </summary>
/// <remarks>
/// Do not begin a transaction, or update a store, while a snapshot is open on the same thread: that would wait for a
/// store lock while holding the commit lock, the reverse of the order commits take them in. Both are refused at once.
/// </remarks>
public sealed class StoreSnapshot : IDisposable
{
    // Null when the folder did not exist at the snapshot: then it holds no store, whatever a commit creates meanwhile.
    private readonly StoreLock? _commitLock;
    private bool _disposed;

    internal StoreSnapshot(string folder, StoreLock? commitLock)
    {
        Folder = folder;
        _commitLock = commitLock;
    }

    /// <summary>The store folder.</summary>
    public string Folder { get; }

    /// <summary>Loads a store as the last commit left it.</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <returns>The document.</returns>
    /// <exception cref="StoreNotFoundException">The file does not exist.</exception>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    public T Load<T>()
        where T : IAtomicStore<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _commitLock is null ? throw new StoreNotFoundException(T.Store.GetPath(Folder)) : T.Store.Load(Folder);
    }

    /// <summary>Loads a store as the last commit left it, if its file exists.</summary>
    /// <typeparam name="T">The store type.</typeparam>
    /// <param name="value">The document, when the method returns true.</param>
    /// <returns>False only when the file does not exist.</returns>
    /// <exception cref="StoreCorruptException">The file is not a valid document; it is left as it is.</exception>
    /// <exception cref="StoreLoadException">The file cannot be read.</exception>
    /// <exception cref="ObjectDisposedException">The snapshot was disposed.</exception>
    /// <remarks>Name the store type, <c>TryLoad&lt;Users&gt;(out var users)</c>: from <c>out Users? users</c> the compiler would infer the nullable type, which is not the store type.</remarks>
    public bool TryLoad<T>([MaybeNullWhen(false)] out T value)
        where T : IAtomicStore<T>
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_commitLock is null)
        {
            value = default;
            return false;
        }

        return T.Store.TryLoad(Folder, out value);
    }

    /// <summary>Lets commits of the folder go on.</summary>
    public void Dispose()
    {
        _disposed = true;
        _commitLock?.Dispose();
    }
}
