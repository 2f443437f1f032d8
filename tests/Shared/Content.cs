namespace DevRank.Testing;

/// <summary>
/// The deterministic content the child writes (<c>write PATH SIZE</c>) and the parents check: a–z repeated, so that
/// a file's size and bytes say which write it came from.
/// </summary>
internal static class Content
{
    public static byte[] For(int size)
    {
        var bytes = new byte[size];
        for (int i = 0; i < size; i++)
        {
            bytes[i] = (byte)('a' + (i % 26));
        }

        return bytes;
    }

    /// <summary>True when <paramref name="bytes"/> is exactly <see cref="For"/> of its own length.</summary>
    public static bool IsPattern(byte[] bytes) => bytes.AsSpan().SequenceEqual(For(bytes.Length));
}
