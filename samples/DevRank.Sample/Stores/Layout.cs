using DevRank.AtomicStore;

namespace DevRank.Sample.Stores;

/// <summary>Which program's folder a data folder is: both keep the same tracker and lists, but not the same users file.</summary>
internal enum Generation
{
    /// <summary>DevRank: <c>users.json</c>, one record per line inside a JSON array.</summary>
    DevRank,

    /// <summary>DevIndex, DevRank's successor: <c>users.jsonl</c> and <c>failed.json</c>, <c>optin-sync.json</c>, <c>optout-sync.json</c>.</summary>
    DevIndex,
}

/// <summary>The users file of a generation, for code (the job, its checks) that treats both alike.</summary>
/// <param name="FileName">The file's name.</param>
/// <param name="GetPath">The file's path in a data folder.</param>
/// <param name="LoadOrCreate">The users in a data folder, or none.</param>
/// <param name="Update">The store's <c>Update</c>: load, change in place and save, under the store's lock.</param>
internal sealed record UserFile(
    string FileName,
    Func<string, string> GetPath,
    Func<string, List<UserRecord>> LoadOrCreate,
    Func<string, Action<List<UserRecord>>, List<UserRecord>> Update)
{
    public static readonly UserFile Json = For<Users>();
    public static readonly UserFile Jsonl = For<UsersJsonl>();

    private static UserFile For<T>() where T : List<UserRecord>, IAtomicStore<T>, new() => new(
        T.Store.FileName,
        T.Store.GetPath,
        folder => T.Store.LoadOrCreate(folder, static () => new T()),
        (folder, change) => FileStore.Update(T.Store, folder, (T users) => change(users), static () => new T()));
}

/// <summary>How the sample tells the two generations apart: by the files only DevIndex has.</summary>
internal static class Layout
{
    /// <summary>Files that only a DevIndex folder holds; any one of them makes a folder DevIndex's.</summary>
    public static readonly IReadOnlyList<string> DevIndexOnly = [UsersJsonl.FileName, Failed.FileName, OptInSync.FileName, OptOutSync.FileName];

    /// <summary>
    /// The generation of the folder's data: DevIndex when it holds one of DevIndex's own files
    /// (<c>users.jsonl</c> above all), DevRank when it holds <c>users.json</c>, else <paramref name="fresh"/> (a new
    /// or empty folder takes the layout it is asked for).
    /// </summary>
    /// <exception cref="UsageException">The folder holds both <c>users.json</c> and <c>users.jsonl</c>: which one is the data is not ours to guess.</exception>
    public static Generation Detect(string folder, Generation fresh = Generation.DevRank)
    {
        bool devIndex = DevIndexOnly.Any(name => File.Exists(Path.Combine(folder, name)));
        bool devRank = File.Exists(Path.Combine(folder, Users.FileName));
        if (devRank && File.Exists(Path.Combine(folder, UsersJsonl.FileName)))
        {
            throw new UsageException($"{folder} holds both {Users.FileName} (DevRank) and {UsersJsonl.FileName} (DevIndex); keep one of them.");
        }

        return devIndex ? Generation.DevIndex : devRank ? Generation.DevRank : fresh;
    }

    /// <summary>The users file of a generation.</summary>
    public static UserFile UsersOf(Generation generation) => generation == Generation.DevIndex ? UserFile.Jsonl : UserFile.Json;
}
