namespace DevRank.AtomicStore;

/// <summary>
/// Reads the ISO 8601 forms <see cref="IsoTimestamp"/> accepts, strictly: fixed digit counts, ranges checked, a zone
/// required on a date and time. Hand-written rather than <c>DateTimeOffset.TryParseExact</c>, which takes no more
/// than seven fraction digits and would need a format per shape.
/// </summary>
internal static class IsoTimestampText
{
    /// <summary>The instant <paramref name="text"/> denotes, in UTC ticks; false when it is not an accepted form.</summary>
    public static bool TryRead(ReadOnlySpan<char> text, out long utcTicks)
    {
        utcTicks = 0;
        if (text.Length < 10
            || !Number(text[..4], 1, 9999, out int year) || text[4] != '-'
            || !Number(text.Slice(5, 2), 1, 12, out int month) || text[7] != '-'
            || !Number(text.Slice(8, 2), 1, DateTime.DaysInMonth(year, month), out int day))
        {
            return false;
        }

        long ticks = new DateTime(year, month, day).Ticks;
        if (text.Length == 10)
        {
            utcTicks = ticks; // a date alone is midnight UTC
            return true;
        }

        if (text.Length < 17 || text[10] != 'T'
            || !Number(text.Slice(11, 2), 0, 23, out int hour) || text[13] != ':'
            || !Number(text.Slice(14, 2), 0, 59, out int minute))
        {
            return false;
        }

        ticks += (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute);
        int at = 16;
        if (text[at] == ':')
        {
            if (text.Length < at + 4 || !Number(text.Slice(at + 1, 2), 0, 59, out int second))
            {
                return false;
            }

            ticks += second * TimeSpan.TicksPerSecond;
            at += 3;
            if (text[at] == '.')
            {
                int digits = 0;
                long fraction = 0;
                for (at++; at < text.Length && char.IsAsciiDigit(text[at]); at++, digits++)
                {
                    // 100 ns is as fine as a tick goes: further digits are read, not kept.
                    if (digits < 7)
                    {
                        fraction = (fraction * 10) + (text[at] - '0');
                    }
                }

                if (digits is 0 or > 9)
                {
                    return false;
                }

                for (int i = Math.Min(digits, 7); i < 7; i++)
                {
                    fraction *= 10;
                }

                ticks += fraction;
            }
        }

        if (!TryZone(text[at..], out long offsetTicks))
        {
            return false;
        }

        utcTicks = ticks - offsetTicks;
        return utcTicks >= DateTime.MinValue.Ticks && utcTicks <= DateTime.MaxValue.Ticks;
    }

    private static bool TryZone(ReadOnlySpan<char> zone, out long offsetTicks)
    {
        offsetTicks = 0;
        if (zone is "Z")
        {
            return true;
        }

        if (zone.Length != 6 || zone[0] is not ('+' or '-') || zone[3] != ':'
            || !Number(zone.Slice(1, 2), 0, 23, out int hours) || !Number(zone.Slice(4, 2), 0, 59, out int minutes))
        {
            return false;
        }

        offsetTicks = (hours * TimeSpan.TicksPerHour) + (minutes * TimeSpan.TicksPerMinute);
        if (zone[0] == '-')
        {
            offsetTicks = -offsetTicks;
        }

        return true;
    }

    private static bool Number(ReadOnlySpan<char> digits, int min, int max, out int value)
    {
        value = 0;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return value >= min && value <= max;
    }
}
