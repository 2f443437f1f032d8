using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// A store folder that is a file (or has a file among its parents) is an error that names the path, from every
/// entry point; it is never "no store yet". A folder that does not exist yet is still no store for loads, and is
/// created by saves.
/// </summary>
public sealed class FolderTests : IDisposable
{
    private static readonly JsonFileStore<Profile> Profiles = JsonFileStore.CreateWithReflection<Profile>("profile.json");
    private static readonly JsonFileStore<Profile> Nested = JsonFileStore.CreateWithReflection<Profile>("sub/profile.json");
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Profile Fresh() => new("fresh", 0, []);

    /// <summary>(store, folder to pass, the level that is a file) for each way a file can stand where a folder must be.</summary>
    private (JsonFileStore<Profile> Store, string Folder, string File) Case(string shape)
    {
        string file = _dir.File(shape == "the store file's own sub-folder" ? "sub" : "data");
        File.WriteAllText(file, "not a folder");
        return shape switch
        {
            "the store folder" => (Profiles, file, file),
            "a parent of the store folder" => (Profiles, Path.Combine(file, "deeper", "still"), file),
            "the store file's own sub-folder" => (Nested, _dir.Path, file),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    public static TheoryData<string> Shapes() => ["the store folder", "a parent of the store folder", "the store file's own sub-folder"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_file_in_place_of_a_folder_is_a_load_error_from_every_load_and_update(string shape)
    {
        (JsonFileStore<Profile> store, string folder, string file) = Case(shape);

        string path = store.GetPath(folder);
        List<StoreLoadException> errors =
        [
            Assert.Throws<StoreLoadException>(() => store.Load(folder)),
            Assert.Throws<StoreLoadException>(() => store.TryLoad(folder, out _)),
            Assert.Throws<StoreLoadException>(() => store.LoadOrCreate(folder, Fresh)),
            await Assert.ThrowsAsync<StoreLoadException>(async () => await store.LoadAsync(folder)),
            await Assert.ThrowsAsync<StoreLoadException>(async () => await store.LoadOrCreateAsync(folder, Fresh)),
            Assert.Throws<StoreLoadException>(() => store.Update(folder, p => p, Fresh)),
            await Assert.ThrowsAsync<StoreLoadException>(() => store.UpdateAsync(folder, p => p, Fresh)),
        ];

        foreach (StoreLoadException ex in errors)
        {
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains($"'{file}' is a file, not a folder", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task A_file_in_place_of_a_folder_fails_every_save_with_a_typed_error(string shape)
    {
        (JsonFileStore<Profile> store, string folder, string file) = Case(shape);

        string path = store.GetPath(folder);
        List<AtomicWriteException> errors =
        [
            Assert.Throws<AtomicWriteException>(() => store.Save(folder, Fresh())),
            await Assert.ThrowsAsync<AtomicWriteException>(() => store.SaveAsync(folder, Fresh())),
        ];

        foreach (AtomicWriteException ex in errors)
        {
            Assert.Equal(path, ex.FilePath);
            Assert.Equal(AtomicWriteStage.CreateFolder, ex.Stage);
            Assert.Contains($"'{file}' is a file, not a folder", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal("not a folder", File.ReadAllText(file));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void AtomicFile_into_a_folder_that_is_a_file_names_it()
    {
        string file = _dir.File("data");
        File.WriteAllText(file, "not a folder");
        string path = Path.Combine(file, "notes.txt");

        var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "hello"));

        Assert.Equal(path, ex.FilePath);
        Assert.Contains($"'{file}' is a file, not a folder", ex.Message, StringComparison.Ordinal);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [SkippableFact]
    public void A_dangling_link_as_the_store_folder_is_a_missing_volume_not_an_empty_store()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        string link = _dir.File("data");
        string gone = _dir.File("unmounted-volume");
        File.CreateSymbolicLink(link, gone);

        var load = Assert.Throws<StoreLoadException>(() => Profiles.LoadOrCreate(link, Fresh));
        var save = Assert.Throws<AtomicWriteException>(() => Profiles.Save(link, Fresh()));

        foreach (AtomicStoreException ex in new AtomicStoreException[] { load, save })
        {
            Assert.True(ex.Message.Contains($"'{link}' is a symbolic link to '{gone}', which does not exist", StringComparison.Ordinal), ex.Message);
        }

        Assert.False(Path.Exists(gone)); // nothing created through the link
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_yet_is_still_no_store_for_loads_and_is_created_by_saves()
    {
        string folder = Path.Combine(_dir.Path, "new", "deeper");

        Assert.Throws<StoreNotFoundException>(() => Profiles.Load(folder));
        Assert.False(Profiles.TryLoad(folder, out _));
        Assert.Equal("fresh", Profiles.LoadOrCreate(folder, Fresh).Login);
        Assert.Equal("fresh", (await Profiles.LoadOrCreateAsync(folder, Fresh)).Login);
        Assert.False(Directory.Exists(folder)); // loading creates nothing

        Profiles.Save(folder, new Profile("saved", 1, []));
        Assert.Equal("saved", Profiles.Load(folder).Login);
    }
}
