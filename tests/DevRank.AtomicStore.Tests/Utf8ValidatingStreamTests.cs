using System.Text;

namespace DevRank.AtomicStore.Tests;

/// <summary>The validator behind large-file loads sees the file in reads of any size; characters straddle them.</summary>
public sealed class Utf8ValidatingStreamTests
{
    private static readonly byte[] Mixed = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("héllo 世界 🚀 Привет \r\n", 500)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(4096)]
    public void Valid_text_passes_whatever_the_read_size(int readSize)
    {
        using var stream = new Utf8ValidatingStream(new TrickleStream(Mixed, readSize));

        Assert.Equal(Mixed, ReadAll(stream));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(4096)]
    public void An_invalid_sequence_anywhere_fails(int readSize)
    {
        byte[] bad = [.. Mixed[..1000], 0xC0, 0xAF, .. Mixed[1000..]];
        using var stream = new Utf8ValidatingStream(new TrickleStream(bad, readSize));

        Assert.Throws<InvalidDataException>(() => ReadAll(stream));
    }

    [Fact]
    public void A_sequence_cut_off_by_the_end_fails()
    {
        byte[] cut = [.. "abc"u8, 0xE4, 0xB8];
        using var stream = new Utf8ValidatingStream(new TrickleStream(cut, 2));

        Assert.Throws<InvalidDataException>(() => ReadAll(stream));
    }

    private static byte[] ReadAll(Stream stream)
    {
        var output = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    /// <summary>A stream that returns at most <c>readSize</c> bytes per read.</summary>
    private sealed class TrickleStream(byte[] data, int readSize) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(buffer.Length, readSize)]);
    }
}
