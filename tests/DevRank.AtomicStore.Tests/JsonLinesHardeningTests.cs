using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// A JSON Lines store in a hostile folder: what is planted at the .jsonl path is treated by appends as loads and saves
/// treat it (docs/security.md): a FIFO neither hangs nor is written, a folder is not a file, a link is followed only
/// where nobody else could have planted it.
/// </summary>
public sealed class JsonLinesHardeningTests : IDisposable
{
    private readonly TempFolder _dir = new();
    private readonly JsonLinesFileStore<List<Visit>, Visit> _store = JsonLinesFileStore.CreateWithReflection<List<Visit>, Visit>("visits.jsonl");

    public void Dispose() => _dir.Dispose();

    private string FilePath => _store.GetPath(_dir.Path);

    [SkippableFact]
    public async Task A_FIFO_at_the_path_is_a_typed_error_for_loads_reads_and_appends_not_a_hang_and_stays_a_FIFO()
    {
        Skip.If(OperatingSystem.IsWindows(), "FIFOs are Unix");
        Sh.Must("mkfifo", FilePath);

        await Task.Run(() =>
        {
            Assert.Contains("not a regular file", Assert.Throws<StoreLoadException>(() => _store.Load(_dir.Path)).Message, StringComparison.Ordinal);
            Assert.Throws<StoreLoadException>(() => _store.Read(_dir.Path).ToList());
            Assert.Throws<StoreLoadException>(() => _store.FindTornTail(_dir.Path));
            var append = Assert.Throws<AtomicWriteException>(() => _store.Append(_dir.Path, new Visit("a", 1)));
            Assert.Contains("not a regular file", append.Message, StringComparison.Ordinal);
            Assert.Equal(AtomicWriteStage.Write, append.Stage);
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal("fifo", Sh.Must("stat", "-c", "%F", FilePath).Trim());
    }

    [Fact]
    public void A_folder_at_the_path_is_a_typed_error_for_appends_and_is_left_alone()
    {
        Directory.CreateDirectory(FilePath);
        File.WriteAllText(Path.Combine(FilePath, "inside"), "kept");

        var error = Assert.Throws<AtomicWriteException>(() => _store.Append(_dir.Path, new Visit("a", 1)));

        Assert.Contains("is a folder, not a file", error.Message, StringComparison.Ordinal);
        Assert.Equal("kept", File.ReadAllText(Path.Combine(FilePath, "inside")));
    }

    [SkippableFact]
    public void A_link_owned_by_root_is_followed_by_appends_and_the_link_stays_a_link()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        using var real = new TempFolder();
        string target = real.File("visits.jsonl");
        File.WriteAllText(target, """{"Login":"a","N":1}""" + "\n" + """{"Login":"b","N""");
        File.CreateSymbolicLink(FilePath, target);
        var tails = new List<JsonLinesTail>();
        _store.TornTail += (_, tail) => tails.Add(tail);

        _store.Append(_dir.Path, new Visit("c", 3));

        Assert.Equal("""{"Login":"a","N":1}""" + "\n" + """{"Login":"c","N":3}""" + "\n", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(FilePath).LinkTarget);
        Assert.Equal(target, Assert.Single(tails).FilePath);
        Assert.Equal(2, _store.Load(_dir.Path).Count);
    }

    [SkippableFact]
    public void A_link_planted_by_another_user_in_a_shared_folder_is_followed_by_no_append_load_or_save()
    {
        string? why = Root.WhyUnavailable("setpriv");
        Skip.If(why is not null, why);
        using var elsewhere = new TempFolder();
        string victim = elsewhere.File("victim.jsonl");
        File.WriteAllText(victim, "{\"Login\":\"victim\",\"N\":0}\n");
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        Sh.Must("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "ln", "-s", victim, FilePath);

        var append = Assert.Throws<AtomicWriteException>(() => _store.Append(_dir.Path, new Visit("a", 1)));
        var save = Assert.Throws<AtomicWriteException>(() => _store.Save(_dir.Path, [new Visit("a", 1)]));
        var load = Assert.Throws<StoreLoadException>(() => _store.Load(_dir.Path));

        Assert.Contains("owned by another user", append.Message, StringComparison.Ordinal);
        Assert.Contains("owned by another user", save.Message, StringComparison.Ordinal);
        Assert.Contains("owned by another user", load.Message, StringComparison.Ordinal);
        Assert.Equal("{\"Login\":\"victim\",\"N\":0}\n", File.ReadAllText(victim));
    }
}
