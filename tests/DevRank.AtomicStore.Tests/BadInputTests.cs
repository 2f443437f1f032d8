using System.Text;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// Whatever is on disk, loading never replaces, defaults or deletes it: each bad file gets a typed error that names
/// the path and the cause, and the bytes stay exactly as they were.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private static readonly JsonFileStore<Profile> Profiles = JsonFileStore.CreateWithReflection<Profile>("profile.json");
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string FilePath => Profiles.GetPath(_dir.Path);

    public static TheoryData<string, byte[], string> CorruptFiles() => new()
    {
        { "empty", [], "empty" },
        { "nul-filled", new byte[4096], "NUL" },
        { "truncated", "{\"Login\":\"octo"u8.ToArray(), "" },
        { "invalid-utf8-in-a-skipped-name", [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], "UTF-8" },
        { "invalid-utf8-in-a-value", [.. "{\"Login\":\""u8, 0xFF, 0xFE, .. "\",\"Contributions\":1,\"Orgs\":[]}"u8], "UTF-8" },
        { "wrong-shape", "[1,2,3]"u8.ToArray(), "" },
        { "wrong-type", "{\"Login\":\"x\",\"Contributions\":\"many\",\"Orgs\":[]}"u8.ToArray(), "" },
        { "trailing-garbage", "{\"Login\":\"x\",\"Contributions\":1,\"Orgs\":[]} trailing"u8.ToArray(), "" },
        { "json-null", "null"u8.ToArray(), "JSON null" },
        { "too-deep", Encoding.ASCII.GetBytes("{\"Unknown\":" + new string('[', 200) + new string(']', 200) + "}"), "depth" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void A_corrupt_file_is_a_typed_error_and_is_left_untouched(string name, byte[] content, string mentions)
    {
        File.WriteAllBytes(FilePath, content);

        var ex = Assert.Throws<StoreCorruptException>(() => Profiles.Load(_dir.Path));
        Assert.Throws<StoreCorruptException>(() => Profiles.TryLoad(_dir.Path, out _));
        Assert.Throws<StoreCorruptException>(() => Profiles.LoadOrCreate(_dir.Path, () => new Profile("fresh", 0, [])));
        Assert.Throws<StoreCorruptException>(() => Profiles.Update(_dir.Path, p => p, () => new Profile("fresh", 0, [])));

        Assert.Equal(FilePath, ex.FilePath);
        Assert.Contains(FilePath, ex.Message, StringComparison.Ordinal);
        Assert.Contains(mentions, ex.Message, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(FilePath));
        Assert.Empty(_dir.Temps());
        Figures.Record("bad input on load", name, "StoreCorruptException from Load, TryLoad, LoadOrCreate and Update; file unchanged");
    }

    [Fact]
    public void A_corrupt_file_reports_the_line_and_byte_of_the_error()
    {
        File.WriteAllText(FilePath, "{\n  \"Login\": \"x\",\n  \"Contributions\": oops\n}");

        var ex = Assert.Throws<StoreCorruptException>(() => Profiles.Load(_dir.Path));

        Assert.Equal(2, ex.LineNumber);
        Assert.NotNull(ex.BytePositionInLine);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_file_is_a_typed_error_for_the_async_load_too()
    {
        File.WriteAllText(FilePath, "{\"Login\":");

        await Assert.ThrowsAsync<StoreCorruptException>(async () => await Profiles.LoadAsync(_dir.Path));
    }

    [Fact]
    public void A_utf8_bom_loads()
    {
        File.WriteAllBytes(FilePath, [0xEF, 0xBB, 0xBF, .. "{\"Login\":\"bom\",\"Contributions\":1,\"Orgs\":[]}"u8]);

        Assert.Equal("bom", Profiles.Load(_dir.Path).Login);
    }

    [Fact]
    public void A_large_file_is_streamed_and_a_corrupt_end_is_still_reported()
    {
        var sb = new StringBuilder("{\"Login\":\"big\",\"Contributions\":1,\"Orgs\":[");
        for (int i = 0; i < 200_000; i++)
        {
            sb.Append("\"org-").Append(i).Append("\",");
        }

        File.WriteAllText(FilePath, sb.ToString().TrimEnd(',') + "]}");
        Assert.Equal(200_000, Profiles.Load(_dir.Path).Orgs.Count);

        File.WriteAllText(FilePath, sb.ToString());
        var ex = Assert.Throws<StoreCorruptException>(() => Profiles.Load(_dir.Path));
        Assert.Contains(FilePath, ex.Message, StringComparison.Ordinal);

        byte[] badTail = [.. Encoding.UTF8.GetBytes(sb.ToString().TrimEnd(',')), .. ",\"bad-"u8, 0xC0, 0xAF, .. "\"]}"u8];
        File.WriteAllBytes(FilePath, badTail);
        var utf8 = Assert.Throws<StoreCorruptException>(() => Profiles.Load(_dir.Path));
        Assert.Contains("UTF-8", utf8.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_where_the_file_should_be_is_a_load_error()
    {
        Directory.CreateDirectory(FilePath);

        var ex = Assert.Throws<StoreLoadException>(() => Profiles.Load(_dir.Path));

        Assert.Contains("folder", ex.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(FilePath));
    }

    [SkippableFact]
    public void A_dangling_symlink_is_a_load_error_not_a_missing_file()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        File.CreateSymbolicLink(FilePath, "/nonexistent/volume/profile.json");

        var ex = Assert.Throws<StoreLoadException>(() => Profiles.TryLoad(_dir.Path, out _));

        Assert.IsNotType<StoreNotFoundException>(ex);
        Assert.Contains("symbolic link", ex.Message, StringComparison.Ordinal);
        Assert.NotNull(new FileInfo(FilePath).LinkTarget);
    }
}
