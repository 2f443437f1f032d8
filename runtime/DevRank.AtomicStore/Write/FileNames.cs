using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DevRank.AtomicStore;

/// <summary>
/// Fits the names the runtime makes beside a file (temp, lock, backup links) into one path component. Linux and
/// macOS allow 255 bytes of UTF-8 in a name (NAME_MAX); Windows 255 UTF-16 units, never more than the UTF-8 bytes.
/// A name that fits keeps the file's whole name; a longer one keeps as much of it as fits (cut between characters,
/// so it stays recognisable) and a hash of the whole name (so two long names that share their beginning still get
/// different names). The result depends on nothing but the file's name: a writer and a sweep in another process
/// make the same name.
/// </summary>
internal static class FileNames
{
    /// <summary>The longest file name, in UTF-8 bytes.</summary>
    public const int MaxBytes = 255;

    /// <summary>The hash that replaces a cut: '~' and 16 hex digits.</summary>
    private const int HashLength = 17;

    /// <summary>
    /// <paramref name="fileName"/>, or its shortened form, such that <paramref name="extraBytes"/> more bytes of
    /// ASCII around it still make a name of at most <see cref="MaxBytes"/> bytes.
    /// </summary>
    public static string Fit(string fileName, int extraBytes)
    {
        int room = MaxBytes - extraBytes;
        return Encoding.UTF8.GetByteCount(fileName) <= room ? fileName : Cut(fileName, room - HashLength) + "~" + Hash(fileName);
    }

    /// <summary>The longest beginning of <paramref name="fileName"/> that every <see cref="Fit"/> with up to <paramref name="extraBytes"/> keeps.</summary>
    public static string CommonStart(string fileName, int extraBytes) => Cut(fileName, MaxBytes - extraBytes - HashLength);

    /// <summary>The bytes of a name as the file system counts them.</summary>
    public static int Bytes(string name) => Encoding.UTF8.GetByteCount(name);

    /// <summary>The longest beginning of <paramref name="text"/> of at most <paramref name="maxBytes"/> UTF-8 bytes, cut between characters.</summary>
    private static string Cut(string text, int maxBytes)
    {
        int bytes = 0;
        int end = 0;
        while (end < text.Length)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(end), out Rune rune, out int chars) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
            }

            if (bytes + rune.Utf8SequenceLength > maxBytes)
            {
                break;
            }

            bytes += rune.Utf8SequenceLength;
            end += chars;
        }

        return text[..end];
    }

    private static string Hash(string fileName)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(fileName), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash).ToString("x16", CultureInfo.InvariantCulture);
    }
}
