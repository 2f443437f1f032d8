namespace DevRank.AtomicStore;

/// <summary>
/// Strings as <c>JSON.stringify</c> writes them: UTF-8 as it is, except <c>"</c> and <c>\</c>, U+0000 to U+001F
/// (<c>\b \f \n \r \t</c>, otherwise <c>\u00xx</c>) and lone surrogates (<c>\udxxx</c>), always in lowercase hex
/// (ECMAScript's QuoteJSONString).
/// </summary>
/// <remarks>
/// The input is the raw content of a string token that the reader has validated, escapes and all. Escapes are decoded
/// here rather than with <c>Utf8JsonReader.GetString</c>, which throws on a lone surrogate: a pair becomes the UTF-8 of
/// its code point, a lone surrogate stays an escape (UTF-8 cannot hold it), and nothing else is escaped.
/// </remarks>
internal static class JavaScriptStrings
{
    /// <summary>Writes the content of a string token (between its quotes) as JavaScript writes that string.</summary>
    public static void WriteContent(ReadOnlySpan<byte> raw, ref JsonOutput output)
    {
        while (true)
        {
            int escape = raw.IndexOf((byte)'\\');
            if (escape < 0)
            {
                output.Write(raw);
                return;
            }

            output.Write(raw[..escape]);
            raw = raw[escape..];
            if (raw[1] != 'u')
            {
                WriteShortEscape(raw[1], ref output);
                raw = raw[2..];
            }
            else if (TryPair(raw, out int codePoint))
            {
                int n = Utf8(codePoint, output.Reserve(4));
                output.Advance(n);
                raw = raw[12..];
            }
            else
            {
                WriteCodeUnit(Hex4(raw[2..]), ref output);
                raw = raw[6..];
            }
        }
    }

    /// <summary>
    /// Decodes the content of a string token into <paramref name="destination"/> (at least as long as
    /// <paramref name="raw"/>: no escape decodes to more bytes than it takes), a lone surrogate as the three bytes UTF-8
    /// would give it if it could (WTF-8). Two strings JavaScript holds as equal decode to equal bytes.
    /// </summary>
    /// <returns>The number of bytes written.</returns>
    public static int Decode(ReadOnlySpan<byte> raw, Span<byte> destination)
    {
        int written = 0;
        while (true)
        {
            int escape = raw.IndexOf((byte)'\\');
            if (escape < 0)
            {
                raw.CopyTo(destination[written..]);
                return written + raw.Length;
            }

            raw[..escape].CopyTo(destination[written..]);
            written += escape;
            raw = raw[escape..];
            if (raw[1] != 'u')
            {
                destination[written++] = raw[1] switch
                {
                    (byte)'b' => (byte)'\b',
                    (byte)'f' => (byte)'\f',
                    (byte)'n' => (byte)'\n',
                    (byte)'r' => (byte)'\r',
                    (byte)'t' => (byte)'\t',
                    byte other => other, // " \ /
                };
                raw = raw[2..];
            }
            else if (TryPair(raw, out int codePoint))
            {
                written += Utf8(codePoint, destination[written..]);
                raw = raw[12..];
            }
            else
            {
                written += Utf8(Hex4(raw[2..]), destination[written..]);
                raw = raw[6..];
            }
        }
    }

    /// <summary>A high-surrogate escape followed by a low-surrogate escape: the code point of the pair.</summary>
    private static bool TryPair(ReadOnlySpan<byte> raw, out int codePoint)
    {
        codePoint = 0;
        if (raw.Length < 12 || raw[6] != '\\' || raw[7] != 'u')
        {
            return false;
        }

        int high = Hex4(raw[2..]);
        if (high is < 0xD800 or > 0xDBFF)
        {
            return false;
        }

        int low = Hex4(raw[8..]);
        if (low is < 0xDC00 or > 0xDFFF)
        {
            return false;
        }

        codePoint = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        return true;
    }

    private static void WriteShortEscape(byte escaped, ref JsonOutput output)
    {
        if (escaped == '/')
        {
            // JSON allows "\/"; JavaScript reads it as "/" and writes it plainly.
            output.Write((byte)'/');
            return;
        }

        Span<byte> span = output.Reserve(2);
        span[0] = (byte)'\\';
        span[1] = escaped; // " \ b f n r t: written as they were
        output.Advance(2);
    }

    /// <summary>One UTF-16 code unit from a <c>\uXXXX</c> escape that is not half of a pair.</summary>
    private static void WriteCodeUnit(int unit, ref JsonOutput output)
    {
        switch (unit)
        {
            case '\b':
                WriteShortEscape((byte)'b', ref output);
                return;
            case '\t':
                WriteShortEscape((byte)'t', ref output);
                return;
            case '\n':
                WriteShortEscape((byte)'n', ref output);
                return;
            case '\f':
                WriteShortEscape((byte)'f', ref output);
                return;
            case '\r':
                WriteShortEscape((byte)'r', ref output);
                return;
            case '"' or '\\':
                WriteShortEscape((byte)unit, ref output);
                return;
            case < 0x20 or (>= 0xD800 and <= 0xDFFF):
                Span<byte> span = output.Reserve(6);
                span[0] = (byte)'\\';
                span[1] = (byte)'u';
                span[2] = LowerHex(unit >> 12);
                span[3] = LowerHex((unit >> 8) & 0xF);
                span[4] = LowerHex((unit >> 4) & 0xF);
                span[5] = LowerHex(unit & 0xF);
                output.Advance(6);
                return;
            default:
                output.Advance(Utf8(unit, output.Reserve(3)));
                return;
        }
    }

    private static byte LowerHex(int digit) => (byte)(digit < 10 ? '0' + digit : 'a' + digit - 10);

    /// <summary>Four hex digits (either case; the reader checked they are hex).</summary>
    private static int Hex4(ReadOnlySpan<byte> digits)
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            int c = digits[i];
            value = (value << 4) | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        return value;
    }

    /// <summary>UTF-8 of a code point; a surrogate gets the three bytes of the general formula (WTF-8).</summary>
    private static int Utf8(int codePoint, Span<byte> destination)
    {
        if (codePoint < 0x80)
        {
            destination[0] = (byte)codePoint;
            return 1;
        }

        if (codePoint < 0x800)
        {
            destination[0] = (byte)(0xC0 | (codePoint >> 6));
            destination[1] = (byte)(0x80 | (codePoint & 0x3F));
            return 2;
        }

        if (codePoint < 0x10000)
        {
            destination[0] = (byte)(0xE0 | (codePoint >> 12));
            destination[1] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
            destination[2] = (byte)(0x80 | (codePoint & 0x3F));
            return 3;
        }

        destination[0] = (byte)(0xF0 | (codePoint >> 18));
        destination[1] = (byte)(0x80 | ((codePoint >> 12) & 0x3F));
        destination[2] = (byte)(0x80 | ((codePoint >> 6) & 0x3F));
        destination[3] = (byte)(0x80 | (codePoint & 0x3F));
        return 4;
    }
}
