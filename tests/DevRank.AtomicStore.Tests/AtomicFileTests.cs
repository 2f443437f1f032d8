using System.Text;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WriteAllBytes_replaces_the_content_and_leaves_no_temp()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "old");

        AtomicFile.WriteAllBytes(path, "new content"u8);

        Assert.Equal("new content", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void WriteAllBytes_creates_a_missing_file()
    {
        string path = _dir.File("fresh.json");

        AtomicFile.WriteAllBytes(path, "{}"u8);

        Assert.Equal("{}", File.ReadAllText(path));
    }

    [Fact]
    public void Empty_content_is_a_valid_replacement()
    {
        string path = _dir.File("x");
        File.WriteAllText(path, "something");

        AtomicFile.WriteAllBytes(path, ReadOnlySpan<byte>.Empty);

        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void WriteAllText_writes_utf8_without_a_bom()
    {
        string path = _dir.File("text.json");

        AtomicFile.WriteAllText(path, "\"héllo 世界 🚀\"");

        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(Encoding.UTF8.GetBytes("\"héllo 世界 🚀\""), bytes);
    }

    [Fact]
    public async Task The_async_forms_replace_the_content()
    {
        string path = _dir.File("a.json");
        File.WriteAllText(path, "old");

        await AtomicFile.WriteAllBytesAsync(path, "bytes"u8.ToArray());
        Assert.Equal("bytes", File.ReadAllText(path));

        await AtomicFile.WriteAllTextAsync(path, "text");
        Assert.Equal("text", File.ReadAllText(path));

        await AtomicFile.WriteAsync(path, async (stream, token) => await stream.WriteAsync("streamed"u8.ToArray(), token));
        Assert.Equal("streamed", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void A_streaming_write_can_be_larger_than_any_buffer()
    {
        string path = _dir.File("big.json");
        byte[] chunk = Encoding.ASCII.GetBytes(new string('x', 64 * 1024));

        AtomicFile.Write(path, stream =>
        {
            for (int i = 0; i < 160; i++)
            {
                stream.Write(chunk);
            }
        });

        Assert.Equal(160L * chunk.Length, new FileInfo(path).Length);
    }

    [Fact]
    public void A_throwing_callback_leaves_the_target_intact_and_no_temp()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "previous");
        var boom = new InvalidOperationException("boom");

        var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("half of the new"u8);
            stream.Flush();
            throw boom;
        }));

        Assert.Same(boom, ex.InnerException);
        Assert.Equal(AtomicWriteStage.Write, ex.Stage);
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task A_throwing_async_callback_leaves_the_target_intact_and_no_temp()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "previous");

        var ex = await Assert.ThrowsAsync<AtomicWriteException>(() => AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await stream.WriteAsync("half"u8.ToArray(), token);
            throw new FormatException("bad");
        }));

        Assert.IsType<FormatException>(ex.InnerException);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task Cancellation_before_the_rename_leaves_the_target_intact_and_no_temp()
    {
        string path = _dir.File("users.json");
        File.WriteAllText(path, "previous");
        using var cts = new CancellationTokenSource();

        var ex = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AtomicFile.WriteAsync(path, async (stream, token) =>
        {
            await stream.WriteAsync("partial"u8.ToArray(), token);
            await cts.CancelAsync();
            token.ThrowIfCancellationRequested();
        }, cancellationToken: cts.Token));

        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Equal(cts.Token, ex.CancellationToken);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public async Task An_already_cancelled_token_writes_nothing()
    {
        string path = _dir.File("users.json");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            AtomicFile.WriteAllTextAsync(path, "x", cancellationToken: new CancellationToken(canceled: true)));

        Assert.False(File.Exists(path));
        Assert.Empty(_dir.Temps());
    }

    [Fact]
    public void A_missing_folder_is_a_typed_error_naming_the_file()
    {
        string path = Path.Combine(_dir.Path, "no-such-folder", "users.json");

        var ex = Assert.Throws<AtomicWriteException>(() => AtomicFile.WriteAllText(path, "x"));

        Assert.Equal(AtomicWriteStage.CreateTemp, ex.Stage);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void The_target_keeps_its_unix_mode()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        string path = _dir.File("secret.json");
        File.WriteAllText(path, "old");
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;
        File.SetUnixFileMode(path, mode);

        AtomicFile.WriteAllText(path, "new");

        Assert.Equal(mode, File.GetUnixFileMode(path));
        Assert.Equal("new", File.ReadAllText(path));
    }

    [SkippableFact]
    public void A_new_file_gets_the_same_mode_as_any_new_file()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        string plain = _dir.File("plain");
        File.WriteAllText(plain, "x");

        string atomic = _dir.File("atomic");
        AtomicFile.WriteAllText(atomic, "x");

        Assert.Equal(File.GetUnixFileMode(plain), File.GetUnixFileMode(atomic));
    }

    [SkippableFact]
    public void A_symlinked_target_is_written_through_and_stays_a_link()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        Directory.CreateDirectory(_dir.File("real"));
        string real = Path.Combine(_dir.Path, "real", "users.json");
        File.WriteAllText(real, "old");
        string link = _dir.File("users.json");
        File.CreateSymbolicLink(link, Path.Combine("real", "users.json"));

        AtomicFile.WriteAllText(link, "new");

        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(real));
        Assert.Empty(_dir.Temps());
    }

    [SkippableFact]
    public void A_symlinked_target_keeps_the_mode_of_the_file_not_of_the_link()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes");
        string real = _dir.File("real.json");
        File.WriteAllText(real, "old");
        const UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        File.SetUnixFileMode(real, mode);
        string link = _dir.File("users.json");
        File.CreateSymbolicLink(link, real);

        AtomicFile.WriteAllText(link, "new");

        // A link's own mode is 0777; copying that would open the file to everyone.
        Assert.Equal(mode, File.GetUnixFileMode(real));
        Assert.Equal("new", File.ReadAllText(real));
    }

    [SkippableFact]
    public void A_chain_of_links_is_followed_to_the_final_file()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need privileges on Windows");
        string real = _dir.File("real.json");
        File.WriteAllText(real, "old");
        File.CreateSymbolicLink(_dir.File("hop.json"), real);
        File.CreateSymbolicLink(_dir.File("users.json"), _dir.File("hop.json"));

        AtomicFile.WriteAllText(_dir.File("users.json"), "new");

        Assert.Equal("new", File.ReadAllText(real));
        Assert.NotNull(new FileInfo(_dir.File("hop.json")).LinkTarget);
        Assert.NotNull(new FileInfo(_dir.File("users.json")).LinkTarget);
    }

    [SkippableFact]
    public async Task Concurrent_writers_and_readers_only_ever_see_whole_documents()
    {
        // Windows cannot rename over a file that is open (File.ReadAllText here): WindowsTests has its own form.
        Skip.If(OperatingSystem.IsWindows(), "an open file blocks a replace on Windows; see WindowsTests");
        string path = _dir.File("contended.json");
        AtomicFile.WriteAllText(path, Document.Make(writer: 0, sequence: 0, size: 100));
        const int writers = 8;
        const int writesEach = 60;
        using var stop = new CancellationTokenSource();
        int reads = 0;

        // Dedicated threads: on two cores the pool would hand every slot to the writers.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Factory.StartNew(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                string text = File.ReadAllText(path);
                Assert.True(Document.IsWhole(text), $"torn read: {text.Length} chars");
                Interlocked.Increment(ref reads);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        SpinWait.SpinUntil(() => Volatile.Read(ref reads) > 0, TimeSpan.FromSeconds(30));

        var finals = new string[writers];
        Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
        {
            for (int i = 1; i <= writesEach; i++)
            {
                string doc = Document.Make(w, i, size: 200 + (w * 997 + i * 131) % 60_000);
                AtomicFile.WriteAllText(path, doc);
                finals[w] = doc;
            }
        });
        stop.Cancel();
        await Task.WhenAll(readers);

        string final = File.ReadAllText(path);
        Assert.True(Document.IsWhole(final));
        Assert.Contains(final, finals);
        Assert.True(reads > 0);
        Assert.Empty(_dir.Temps());
    }

    /// <summary>Self-checking documents: a header with the length and a checksum of the body.</summary>
    private static class Document
    {
        public static string Make(int writer, int sequence, int size)
        {
            string body = string.Create(size, (writer, sequence), static (span, s) =>
            {
                for (int i = 0; i < span.Length; i++)
                {
                    span[i] = (char)('a' + ((i + s.writer * 7 + s.sequence) % 26));
                }
            });
            return $"{writer}:{sequence}:{body.Length}:{Checksum(body)}|{body}";
        }

        public static bool IsWhole(string text)
        {
            string[] parts = text.Split('|', 2);
            if (parts.Length != 2)
            {
                return false;
            }

            string[] header = parts[0].Split(':');
            return header.Length == 4
                && int.Parse(header[2]) == parts[1].Length
                && uint.Parse(header[3]) == Checksum(parts[1]);
        }

        private static uint Checksum(string body)
        {
            uint hash = 2166136261;
            foreach (char c in body)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash;
        }
    }
}
