using System.Text;
using System.Text.Json;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// A type or JSON context that System.Text.Json cannot deserialize is a configuration error: the file was never
/// judged, so it is never called corrupt (which invites quarantining good data), and a save that cannot serialize
/// is not reported as a failed write to the disk.
/// </summary>
public sealed class ConfigurationTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Configurations() => ["serialization-only context", "constructor parameter without a property", "two public constructors"];

    [Theory]
    [MemberData(nameof(Configurations))]
    public void A_valid_file_that_the_type_cannot_deserialize_is_a_configuration_error_not_corrupt(string configuration)
    {
        (Func<string, object> load, Func<string, Task> loadAsync, Action<string> update, string path, byte[] content) = Arrange(configuration);

        foreach (Action attempt in new Action[] { () => load(_dir.Path), () => loadAsync(_dir.Path).GetAwaiter().GetResult(), () => update(_dir.Path) })
        {
            var ex = Assert.Throws<StoreConfigurationException>(attempt);
            Assert.Equal(path, ex.FilePath);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
            Assert.Contains("not judged", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("corrupt", ex.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("[JsonConstructor]", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(content, File.ReadAllBytes(path));
        Assert.Empty(_dir.Temps());
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Content_that_is_really_bad_is_still_corrupt_for_those_types(string configuration)
    {
        (Func<string, object> load, _, _, string path, _) = Arrange(configuration);
        // Including content System.Text.Json never reaches, because the type fails at the first '{': the syntax is
        // checked on its own then.
        foreach (byte[] bad in new[] { "[1,2]"u8.ToArray(), "{\"Title\":"u8.ToArray(), "{\"Title\":\"a\"} trailing"u8.ToArray(), "{\"Title\" \"a\"}"u8.ToArray(), [.. "{\"Title\":\""u8, 0xFF, .. "\"}"u8], [] })
        {
            File.WriteAllBytes(path, bad);
            Assert.Throws<StoreCorruptException>(() => load(_dir.Path));
        }
    }

    [Fact]
    public async Task A_streamed_file_that_the_type_cannot_deserialize_is_a_configuration_error_too()
    {
        // Above StoreDefaults.WholeReadLimit the file streams; it is not syntax-checked on this path.
        var store = JsonFileStore.Create<MismatchedConstructor>("big.json", ConfigurationJson.Default);
        string path = store.GetPath(_dir.Path);
        await File.WriteAllTextAsync(path, "{\"Title\":\"" + new string('x', StoreDefaults.WholeReadLimit + 1024) + "\"}");

        foreach (Func<Task> attempt in new Func<Task>[] { () => Task.FromResult(store.Load(_dir.Path)), async () => await store.LoadAsync(_dir.Path) })
        {
            var ex = await Assert.ThrowsAsync<StoreConfigurationException>(attempt);
            Assert.Equal(path, ex.FilePath);
            Assert.Contains("not judged", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("well-formed", ex.Message, StringComparison.Ordinal);
        }

        Assert.Equal(StoreDefaults.WholeReadLimit + 1024 + 12, new FileInfo(path).Length);
    }

    [Theory]
    [MemberData(nameof(Configurations))]
    public void Those_types_save_valid_documents_that_a_working_configuration_loads(string configuration)
    {
        // What Save does with the same configurations: System.Text.Json serializes all three, so the save succeeds and
        // the file is good; only loading it needs the fix.
        switch (configuration)
        {
            case "serialization-only context":
                JsonFileStore.Create<Note>("doc.json", SerializeOnlyJson.Default).Save(_dir.Path, new Note("saved", 3));
                break;
            case "constructor parameter without a property":
                JsonFileStore.Create<MismatchedConstructor>("doc.json", ConfigurationJson.Default).Save(_dir.Path, new MismatchedConstructor("saved"));
                break;
            default:
                JsonFileStore.Create<TwoConstructors>("doc.json", ConfigurationJson.Default).Save(_dir.Path, new TwoConstructors("saved", 3));
                break;
        }

        Assert.Equal("saved", JsonFileStore.Create<Note>("doc.json", ConfigurationJson.Default).Load(_dir.Path).Title);
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void A_save_that_the_serializer_refuses_is_a_configuration_error_not_a_failed_write()
    {
        // System.Text.Json refuses System.Type members (NotSupportedException) whatever the disk does.
        var store = JsonFileStore.CreateWithReflection<WithTypeMember>("typed.json");
        store.Save(_dir.Path, new WithTypeMember("first", null));
        byte[] before = File.ReadAllBytes(store.GetPath(_dir.Path));

        var ex = Assert.ThrowsAny<AtomicStoreException>(() => store.Save(_dir.Path, new WithTypeMember("second", typeof(string))));
        Assert.IsType<StoreConfigurationException>(ex);
        Assert.Equal(store.GetPath(_dir.Path), ex.FilePath);
        Assert.Contains("not of the disk", ex.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was written", ex.Message, StringComparison.Ordinal);
        Assert.IsType<NotSupportedException>(ex.InnerException);
        Assert.Equal(before, File.ReadAllBytes(store.GetPath(_dir.Path)));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void System_Text_Json_errors_about_bytes_and_about_types_are_told_apart_as_it_throws_them()
    {
        // Real exceptions, with no UTF-8 check of ours in front: invalid UTF-8 inside a string, and each configuration.
        byte[] badUtf8 = [.. "{\"Title\":\""u8, 0xFF, 0xFE, .. "\",\"Stars\":1}"u8];
        Exception utf8 = Record(() => JsonSerializer.Deserialize(badUtf8, ConfigurationJson.Default.Note));
        Assert.True(JsonConfiguration.IsContentError(utf8));
        Assert.False(JsonConfiguration.IsConfigurationError(utf8));
        Assert.IsType<InvalidOperationException>(utf8.InnerException);
        Assert.True(JsonConfiguration.IsContentError(utf8.InnerException!));
        Assert.False(JsonConfiguration.IsConfigurationError(utf8.InnerException!));

        byte[] valid = "{\"Title\":\"a\",\"Stars\":1}"u8.ToArray();
        foreach (Exception config in new[]
        {
            Record(() => JsonSerializer.Deserialize(valid, SerializeOnlyJson.Default.Note)),
            Record(() => JsonSerializer.Deserialize(valid, ConfigurationJson.Default.MismatchedConstructor)),
            Record(() => JsonSerializer.Deserialize(valid, ConfigurationJson.Default.TwoConstructors)),
        })
        {
            Assert.True(JsonConfiguration.IsConfigurationError(config), config.ToString());
            Assert.False(JsonConfiguration.IsContentError(config), config.ToString());
        }
    }

    private static Exception Record(Action action) => Assert.ThrowsAny<Exception>(action);

    private (Func<string, object> Load, Func<string, Task> LoadAsync, Action<string> Update, string Path, byte[] Content) Arrange(string configuration)
    {
        byte[] content = Encoding.UTF8.GetBytes("{\"Title\":\"valid\",\"Stars\":2}");
        switch (configuration)
        {
            case "serialization-only context":
                var notes = JsonFileStore.Create<Note>("doc.json", SerializeOnlyJson.Default);
                File.WriteAllBytes(notes.GetPath(_dir.Path), content);
                return (f => notes.Load(f), async f => await notes.LoadAsync(f), f => notes.Update(f, n => n), notes.GetPath(_dir.Path), content);
            case "constructor parameter without a property":
                var mismatched = JsonFileStore.Create<MismatchedConstructor>("doc.json", ConfigurationJson.Default);
                File.WriteAllBytes(mismatched.GetPath(_dir.Path), content);
                return (f => mismatched.Load(f), async f => await mismatched.LoadAsync(f), f => mismatched.Update(f, n => n), mismatched.GetPath(_dir.Path), content);
            default:
                var two = JsonFileStore.Create<TwoConstructors>("doc.json", ConfigurationJson.Default);
                File.WriteAllBytes(two.GetPath(_dir.Path), content);
                return (f => two.Load(f), async f => await two.LoadAsync(f), f => two.Update(f, n => n), two.GetPath(_dir.Path), content);
        }
    }
}
