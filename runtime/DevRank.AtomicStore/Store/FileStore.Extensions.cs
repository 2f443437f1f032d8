namespace DevRank.AtomicStore;

/// <summary>Members of every <see cref="FileStore{T}"/> that only some content types can have.</summary>
public static class FileStore
{
    /// <summary>
    /// Loads the document, lets <paramref name="change"/> modify it in place and saves it, holding the store's lock
    /// throughout. For mutable reference types only: a value type's change would modify a copy, so the compiler
    /// refuses this overload for them (return the new value from a <c>Func&lt;T, T&gt;</c> instead).
    /// </summary>
    /// <typeparam name="T">The document type, a class.</typeparam>
    /// <param name="store">The store.</param>
    /// <param name="folder">The store folder.</param>
    /// <param name="change">Modifies the current document.</param>
    /// <param name="create">Makes the starting document when the file does not exist; when null, a missing file throws.</param>
    /// <returns>The saved document.</returns>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="FileStore{T}.LockTimeout"/>.</exception>
    /// <exception cref="StoreNotFoundException">The file does not exist and <paramref name="create"/> is null.</exception>
    /// <exception cref="StoreCorruptException">The file's content is not valid; nothing is changed.</exception>
    /// <exception cref="AtomicWriteException">The save failed; the previous file is unchanged.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store, which would wait for itself.</exception>
    public static T Update<T>(this FileStore<T> store, string folder, Action<T> change, Func<T>? create = null)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(change);
        return store.Update(folder, value =>
        {
            change(value);
            return value;
        }, create);
    }
}
