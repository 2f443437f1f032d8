namespace DevRank.AtomicStore;

/// <summary>
/// Implemented by every type marked <see cref="AtomicStoreAttribute"/>, so that generic code and dependency
/// injection can work with any store: <c>T.Load(folder)</c>, <c>T.Store.GetPath(folder)</c>.
/// </summary>
/// <typeparam name="TSelf">The store type itself.</typeparam>
public interface IAtomicStore<TSelf>
    where TSelf : IAtomicStore<TSelf>
{
    /// <summary>The runtime store that does the I/O for this type, whatever its format.</summary>
    static abstract FileStore<TSelf> Store { get; }

    /// <summary>Loads the store from <paramref name="folder"/>; throws <see cref="StoreNotFoundException"/> when the file is missing.</summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The loaded value.</returns>
    static abstract TSelf Load(string folder);

    /// <summary>Saves <see langword="this"/> durably to <paramref name="folder"/>.</summary>
    /// <param name="folder">The store folder.</param>
    void Save(string folder);
}
