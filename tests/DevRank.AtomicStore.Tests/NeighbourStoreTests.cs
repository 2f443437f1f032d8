using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// Two stores of one folder whose names collide as file and folder: <c>cache</c> and <c>cache/index.json</c>.
/// Whichever is saved second finds the other in its way; that is a typed error naming the path, never a raw
/// <see cref="IOException"/>, and nothing of the first store is touched.
/// </summary>
public sealed class NeighbourStoreTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<bool> Backups() => [false, true];

    [Theory]
    [MemberData(nameof(Backups))]
    public async Task Saving_a_store_where_another_stores_folder_stands_is_a_typed_error(bool keepBackup)
    {
        var options = new AtomicWriteOptions { KeepBackup = keepBackup };
        var cache = JsonFileStore.CreateWithReflection<Profile>("cache", writeOptions: options);
        var index = JsonFileStore.CreateWithReflection<Profile>("cache/index.json", writeOptions: options);
        index.Save(_dir.Path, new Profile("index", 1, []));
        string path = cache.GetPath(_dir.Path);

        List<AtomicStoreException> errors =
        [
            Assert.ThrowsAny<AtomicWriteException>(() => cache.Save(_dir.Path, new Profile("cache", 2, []))),
            await Assert.ThrowsAnyAsync<AtomicWriteException>(() => cache.SaveAsync(_dir.Path, new Profile("cache", 2, []))),
            Assert.ThrowsAny<StoreLoadException>(() => cache.Update(_dir.Path, p => p, () => new Profile("cache", 2, []))),
            Assert.ThrowsAny<StoreLoadException>(() => cache.LoadOrCreate(_dir.Path, () => new Profile("cache", 2, []))),
        ];

        foreach (AtomicStoreException ex in errors)
        {
            Assert.Equal(path, ex.FilePath);
            Assert.Contains($"'{path}' is a folder", ex.Message, StringComparison.Ordinal);
            if (ex is AtomicWriteException write)
            {
                Assert.Equal(AtomicWriteStage.Replace, write.Stage);
                Assert.Contains("a file cannot replace it", ex.Message, StringComparison.Ordinal);
            }
        }

        Assert.Equal("index", index.Load(_dir.Path).Login);
        Assert.Empty(_dir.Temps());
        // Only the update's lock file was added (lock files are never deleted); no temp, no backup link.
        Assert.Equal([".cache.lock", "cache"], Directory.GetFileSystemEntries(_dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Saving_a_store_under_a_folder_that_another_store_is_is_a_typed_error()
    {
        var cache = JsonFileStore.CreateWithReflection<Profile>("cache");
        var index = JsonFileStore.CreateWithReflection<Profile>("cache/index.json");
        cache.Save(_dir.Path, new Profile("cache", 1, []));
        string path = index.GetPath(_dir.Path);
        string file = cache.GetPath(_dir.Path);

        List<AtomicStoreException> errors =
        [
            Assert.Throws<AtomicWriteException>(() => index.Save(_dir.Path, new Profile("index", 2, []))),
            await Assert.ThrowsAsync<AtomicWriteException>(() => index.SaveAsync(_dir.Path, new Profile("index", 2, []))),
            Assert.Throws<StoreLoadException>(() => index.Update(_dir.Path, p => p, () => new Profile("index", 2, []))),
            Assert.Throws<StoreLoadException>(() => index.LoadOrCreate(_dir.Path, () => new Profile("index", 2, []))),
        ];

        foreach (AtomicStoreException ex in errors)
        {
            Assert.Equal(path, ex.FilePath);
            Assert.Contains($"'{file}' is a file, not a folder", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("cache", cache.Load(_dir.Path).Login);
        Assert.Empty(_dir.Temps());
    }
}
