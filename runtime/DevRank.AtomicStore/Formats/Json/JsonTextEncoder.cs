using System.Buffers;
using System.Text.Encodings.Web;

namespace DevRank.AtomicStore;

/// <summary>
/// The encoder the serializer writes with before <see cref="JavaScriptJson"/> rewrites its output: it escapes only
/// what JSON requires (<c>"</c>, <c>\</c>, U+0000 to U+001F) and a lone surrogate, which it keeps as <c>\udxxx</c>.
/// </summary>
/// <remarks>
/// System.Text.Json's own encoders, <c>UnsafeRelaxedJsonEscaping</c> included, replace a lone surrogate in a string
/// with U+FFFD (measured on .NET 10): the character would be lost before the rewrite could keep it, where
/// <c>JSON.stringify</c> writes it as an escape. Escaping no more than needed also leaves most strings without any
/// escape, which the rewrite copies as they are. The only hand-written unsafe code in the runtime is here: the two
/// pointer signatures <see cref="TextEncoder"/> requires, each read through a span at once.
/// </remarks>
internal sealed class JsonTextEncoder : JavaScriptEncoder
{
    public static readonly JsonTextEncoder Instance = new();

    // Everything this encoder escapes: C0 controls, " and \, and every surrogate (a paired one is then let through).
    private static readonly SearchValues<char> Special = SearchValues.Create(Specials());

    private JsonTextEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6; // \uXXXX

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        FindFirst(new ReadOnlySpan<char>(text, textLength));

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        TryEncode(unicodeScalar, new Span<char>(buffer, bufferLength), out numberOfCharactersWritten);

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    /// <summary>The base class decodes to scalars and so turns a lone surrogate into U+FFFD; this keeps it as an escape.</summary>
    public override OperationStatus Encode(ReadOnlySpan<char> source, Span<char> destination, out int charsConsumed, out int charsWritten, bool isFinalBlock = true)
    {
        int read = 0;
        int written = 0;
        while (read < source.Length)
        {
            char c = source[read];
            if (char.IsHighSurrogate(c))
            {
                if (read + 1 == source.Length && !isFinalBlock)
                {
                    charsConsumed = read;
                    charsWritten = written;
                    return OperationStatus.NeedMoreData;
                }

                if (read + 1 < source.Length && char.IsLowSurrogate(source[read + 1]))
                {
                    if (destination.Length - written < 2)
                    {
                        break;
                    }

                    destination[written++] = c;
                    destination[written++] = source[read + 1];
                    read += 2;
                    continue;
                }
            }

            if (!TryEncode(c, destination[written..], out int n))
            {
                break;
            }

            written += n;
            read++;
        }

        charsConsumed = read;
        charsWritten = written;
        return read == source.Length ? OperationStatus.Done : OperationStatus.DestinationTooSmall;
    }

    /// <summary>The first character to escape: not a paired surrogate.</summary>
    private static int FindFirst(ReadOnlySpan<char> text)
    {
        int offset = 0;
        while (true)
        {
            int i = text[offset..].IndexOfAny(Special);
            if (i < 0)
            {
                return -1;
            }

            i += offset;
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                offset = i + 2;
                continue;
            }

            return i;
        }
    }

    /// <summary>One character or scalar: escaped if it must be (a surrogate here is a lone one), else as it is.</summary>
    private static bool TryEncode(int value, Span<char> destination, out int written)
    {
        if (value is < 0x20 or (>= 0xD800 and <= 0xDFFF))
        {
            written = 6;
            if (destination.Length < 6)
            {
                return false;
            }

            destination[0] = '\\';
            destination[1] = 'u';
            for (int i = 0; i < 4; i++)
            {
                destination[5 - i] = "0123456789abcdef"[(value >> (4 * i)) & 0xF];
            }

            return true;
        }

        if (value is '"' or '\\')
        {
            written = 2;
            if (destination.Length < 2)
            {
                return false;
            }

            destination[0] = '\\';
            destination[1] = (char)value;
            return true;
        }

        return new System.Text.Rune(value).TryEncodeToUtf16(destination, out written);
    }

    private static char[] Specials()
    {
        var chars = new List<char>();
        for (int c = 0; c < 0x20; c++)
        {
            chars.Add((char)c);
        }

        chars.Add('"');
        chars.Add('\\');
        for (int c = 0xD800; c <= 0xDFFF; c++)
        {
            chars.Add((char)c);
        }

        return [.. chars];
    }
}
