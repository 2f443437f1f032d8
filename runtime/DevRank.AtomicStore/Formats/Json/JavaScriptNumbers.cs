using System.Globalization;

namespace DevRank.AtomicStore;

/// <summary>
/// Numbers as JavaScript prints them (ECMAScript's Number::toString): the shortest digits that read back as the same
/// double, in decimal notation from 1e-7 up to 1e21 and as <c>1e+21</c>, <c>1.5e-7</c> outside, <c>-0</c> as <c>0</c>.
/// </summary>
/// <remarks>
/// <para>
/// .NET's "R" format gives the same shortest digits (since .NET Core 3.0) in another notation, so the digits and
/// exponent are taken from it and laid out again.
/// </para>
/// <para>
/// The one deliberate difference from JavaScript: a literal that the JavaScript text would not denote exactly is
/// written as it came, so that no data is lost. That is a <c>long</c> beyond 2^53 (JavaScript prints
/// 9007199254740993 as 9007199254740992, and 2^60 as 1152921504606847000), a <c>decimal</c> with more significant
/// digits than a double holds, or a literal outside the range of a double (JavaScript reads 1e400 as Infinity and
/// writes <c>null</c>). Every double System.Text.Json writes, and every number JavaScript wrote, is denoted exactly by
/// its JavaScript text, so this never changes what a file written by Node reads back as.
/// </para>
/// </remarks>
internal static class JavaScriptNumbers
{
    /// <summary>More than the 17 significant digits a double's shortest form ever needs.</summary>
    private const int MaxDigits = 17;

    /// <summary>The longest JavaScript text: a sign, "0.000000" and 17 digits, or 21 digits, or 17 digits and "e-324".</summary>
    private const int MaxLength = 32;

    /// <summary>Writes a JSON number literal (validated by the reader) as JavaScript would print the number it denotes.</summary>
    public static void Write(ReadOnlySpan<byte> literal, ref JsonOutput output)
    {
        if (IsWrittenAsItIs(literal))
        {
            // The common case (integers, and most doubles), without parsing and formatting a double.
            output.Write(literal);
            return;
        }

        if (!double.TryParse(literal, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            output.Write(literal);
            return;
        }

        Span<byte> text = stackalloc byte[MaxLength];
        if (!value.TryFormat(text, out int length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A double's shortest form did not fit in 32 bytes.");
        }

        Span<byte> shortest = stackalloc byte[MaxDigits];
        Span<byte> given = stackalloc byte[MaxDigits];
        bool exact = Notation.TryRead(text[..length], shortest, out Notation js)
            && Notation.TryRead(literal, given, out Notation source)
            && js.Denotes(source, shortest, given);
        if (!exact)
        {
            output.Write(literal);
            return;
        }

        Span<byte> span = output.Reserve(MaxLength);
        output.Advance(Layout(js, shortest[..js.Digits], span));
    }

    /// <summary>
    /// Whether the result is <paramref name="literal"/> itself, known without parsing it: plain notation in the range
    /// where Number::toString uses it (below 10^21, from 10^-6), no trailing fraction zero, not <c>-0</c>. Such a
    /// literal has one spelling of its value; if that value is its double's shortest form (every double System.Text.Json
    /// writes, every integer below 2^53), it is what JavaScript prints, and if not, it is a literal the deliberate
    /// difference keeps. Either way it is written as it is.
    /// </summary>
    private static bool IsWrittenAsItIs(ReadOnlySpan<byte> literal)
    {
        int at = literal[0] == '-' ? 1 : 0;
        int start = at;
        while (at < literal.Length && char.IsAsciiDigit((char)literal[at]))
        {
            at++;
        }

        int integerDigits = at - start;
        bool zero = integerDigits == 1 && literal[start] == '0';
        if (integerDigits > 21)
        {
            return false;
        }

        if (at == literal.Length)
        {
            return !zero || start == 0;
        }

        if (literal[at] != '.' || literal[^1] == '0')
        {
            return false; // an exponent, or a trailing zero
        }

        int fraction = ++at;
        while (at < literal.Length && char.IsAsciiDigit((char)literal[at]))
        {
            at++;
        }

        // No exponent; and below 1, at most five zeros before the first digit (1e-7 is where toString switches).
        return at == literal.Length && (!zero || literal[fraction..].IndexOfAnyExcept((byte)'0') < 6);
    }

    /// <summary>Lays out Number::toString's notation for ±0.d₁d₂…dₖ × 10ⁿ; returns the bytes written.</summary>
    private static int Layout(Notation number, ReadOnlySpan<byte> digits, Span<byte> span)
    {
        if (digits.IsEmpty)
        {
            span[0] = (byte)'0'; // -0 too
            return 1;
        }

        int at = 0;
        if (number.Negative)
        {
            span[at++] = (byte)'-';
        }

        int k = digits.Length;
        int n = (int)number.Point;
        if (k <= n && n <= 21)
        {
            // 1e20 → 100000000000000000000
            digits.CopyTo(span[at..]);
            at += k;
            span.Slice(at, n - k).Fill((byte)'0');
            return at + n - k;
        }

        if (0 < n && n <= 21)
        {
            // 123.456
            digits[..n].CopyTo(span[at..]);
            at += n;
            span[at++] = (byte)'.';
            digits[n..].CopyTo(span[at..]);
            return at + k - n;
        }

        if (-6 < n && n <= 0)
        {
            // 0.000001
            span[at++] = (byte)'0';
            span[at++] = (byte)'.';
            span.Slice(at, -n).Fill((byte)'0');
            at += -n;
            digits.CopyTo(span[at..]);
            return at + k;
        }

        // 1e+21, 1.5e-7
        span[at++] = digits[0];
        if (k > 1)
        {
            span[at++] = (byte)'.';
            digits[1..].CopyTo(span[at..]);
            at += k - 1;
        }

        span[at++] = (byte)'e';
        int exponent = n - 1;
        span[at++] = exponent < 0 ? (byte)'-' : (byte)'+';
        Math.Abs(exponent).TryFormat(span[at..], out int written, default, CultureInfo.InvariantCulture);
        return at + written;
    }

    /// <summary>
    /// A number literal normalized: significant digits without leading or trailing zeros, and where the decimal
    /// point goes (value = ±0.digits × 10^Point). Zero has no digits.
    /// </summary>
    private readonly record struct Notation(bool Negative, int Digits, long Point)
    {
        /// <summary>Exponents beyond this are clamped: such a literal is zero or infinite as a double anyway.</summary>
        private const long ExponentLimit = 1_000_000_000;

        /// <summary>Reads a literal; false when it has more than <see cref="MaxDigits"/> significant digits.</summary>
        public static bool TryRead(ReadOnlySpan<byte> literal, Span<byte> digits, out Notation number)
        {
            number = default;
            int at = 0;
            bool negative = literal[0] == '-';
            if (negative)
            {
                at++;
            }

            int count = 0;
            int pendingZeros = 0;
            long point = 0;
            bool seenPoint = false;
            for (; at < literal.Length; at++)
            {
                byte c = literal[at];
                if (c == '.')
                {
                    seenPoint = true;
                    continue;
                }

                if (c is < (byte)'0' or > (byte)'9')
                {
                    break;
                }

                if (count == 0 && c == '0')
                {
                    // A leading zero: before the point it says nothing, after it the point moves left.
                    if (seenPoint)
                    {
                        point--;
                    }

                    continue;
                }

                if (!seenPoint)
                {
                    point++;
                }

                if (c == '0')
                {
                    pendingZeros++;
                    continue;
                }

                if (count + pendingZeros + 1 > digits.Length)
                {
                    return false;
                }

                digits.Slice(count, pendingZeros).Fill((byte)'0');
                count += pendingZeros;
                pendingZeros = 0;
                digits[count++] = c;
            }

            if (at < literal.Length)
            {
                // e or E, an optional sign, digits
                at++;
                bool negativeExponent = literal[at] == '-';
                if (literal[at] is (byte)'-' or (byte)'+')
                {
                    at++;
                }

                long exponent = 0;
                for (; at < literal.Length; at++)
                {
                    exponent = Math.Min(exponent * 10 + (literal[at] - '0'), ExponentLimit);
                }

                point += negativeExponent ? -exponent : exponent;
            }

            number = new Notation(negative, count, count == 0 ? 0 : point);
            return true;
        }

        /// <summary>Whether this and <paramref name="other"/> are the same number (every zero is the same).</summary>
        public bool Denotes(Notation other, ReadOnlySpan<byte> digits, ReadOnlySpan<byte> otherDigits) =>
            Digits == other.Digits
            && (Digits == 0 || (Negative == other.Negative && Point == other.Point && digits[..Digits].SequenceEqual(otherDigits[..Digits])));
    }
}
