using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>The page-gathering temp stream must put every byte where it belongs, whatever the write sizes.</summary>
public sealed class TempFileStreamTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(42)]
    public void Random_write_sizes_and_a_flush_in_between_give_the_exact_bytes(int seed)
    {
        var random = new Random(seed);
        byte[] expected = new byte[random.Next(300_000, 900_000)];
        random.NextBytes(expected);
        string path = _dir.File("data.bin");

        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        using (var stream = new TempFileStream(handle))
        {
            int done = 0;
            while (done < expected.Length)
            {
                // Sizes below, at and far above a page and the 64 KiB buffer, so that every branch runs.
                int n = Math.Min(expected.Length - done, random.Next(4) switch
                {
                    0 => random.Next(1, 100),
                    1 => random.Next(4000, 5000),
                    2 => random.Next(60_000, 70_000),
                    _ => random.Next(100_000, 200_000),
                });
                stream.Write(expected, done, n);
                done += n;
                Assert.Equal(done, stream.Position);
                if (random.Next(10) == 0)
                {
                    stream.Flush();
                }
            }

            stream.Flush();
        }

        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Bytes_not_flushed_when_it_is_disposed_are_dropped_not_written()
    {
        string path = _dir.File("data.bin");

        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        using (var stream = new TempFileStream(handle))
        {
            stream.Write(new byte[100]);
        }

        // A temp disposed without a commit is being discarded; nothing more reaches it.
        Assert.Equal(0, new FileInfo(path).Length);
    }
}
