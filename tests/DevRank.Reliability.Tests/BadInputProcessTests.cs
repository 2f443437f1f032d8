using System.Text;
using DevRank.AtomicStore;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 6, the parts that need a real process or real sizes: a file the reader may not read (CI runs as root, so
/// the child drops to <c>nobody</c>), and a 200 MB file. The in-process cases (empty, NUL-filled, truncated,
/// invalid UTF-8, BOM, wrong shape, trailing garbage, too deep, a folder, a dangling link) are in
/// DevRank.AtomicStore.Tests/BadInputTests.
/// </summary>
public sealed class BadInputProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public sealed record Big(List<string> Items);

    [SkippableFact]
    public void A_file_without_read_permission_is_a_typed_error_and_stays_as_it_is()
    {
        string? why = Root.WhyUnavailable("setpriv");
        Skip.If(why is not null, why);
        string file = _dir.File("counter.json");
        File.WriteAllText(file, "{\"N\":7}");
        File.SetUnixFileMode(file, UnixFileMode.None);
        File.SetUnixFileMode(_dir.Path, (UnixFileMode)0b111_101_101);

        (int code, string said) = Child.Complete(Child.StartProgram("setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", Child.Dotnet, "exec", Child.HostDll, "load-counter", _dir.Path]));

        Assert.True(code == 3, said);
        Assert.Contains("StoreLoadException", said, StringComparison.Ordinal);
        Assert.Contains("permission denied", said, StringComparison.Ordinal);
        Assert.Contains(file, said, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(file));
        Assert.Equal("{\"N\":7}", File.ReadAllText(file));
        output.WriteLine(Figures.Record("bad input on load", "no read permission (as nobody)", "StoreLoadException, file unchanged"));
    }

    [Fact]
    public void A_200_MB_file_loads_by_streaming_and_a_damaged_one_is_reported_without_running_out_of_memory()
    {
        var store = JsonFileStore.CreateWithReflection<Big>("big.json");
        string file = store.GetPath(_dir.Path);
        const int items = 2_000_000;
        using (var writer = new StreamWriter(file, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("{\"Items\":[");
            for (int i = 0; i < items; i++)
            {
                writer.Write(i == 0 ? "\"" : ",\"");
                writer.Write(i.ToString("D90", System.Globalization.CultureInfo.InvariantCulture));
                writer.Write('"');
            }

            writer.Write("]}");
        }

        long size = new FileInfo(file).Length;
        Assert.True(size > 180_000_000, $"{size} bytes");
        Assert.Equal(items, store.Load(_dir.Path).Items.Count);

        // Cut the end off, as a crashed in-place writer would.
        using (var stream = new FileStream(file, FileMode.Open))
        {
            stream.SetLength(size - 1000);
        }

        var ex = Assert.Throws<StoreCorruptException>(() => store.Load(_dir.Path));
        Assert.Contains(file, ex.Message, StringComparison.Ordinal);
        Assert.Equal(size - 1000, new FileInfo(file).Length);
        output.WriteLine(Figures.Record("bad input on load", $"{size / 1_000_000} MB file: valid / truncated", "loaded / StoreCorruptException, file unchanged"));
    }
}
