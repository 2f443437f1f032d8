using System.Text.Json.Serialization;

namespace DevRank.AtomicStore;

/// <summary>
/// A point in time that keeps the text it was read from: what JavaScript's <c>Date.prototype.toISOString()</c>
/// writes (<c>2026-02-08T14:51:11.630Z</c>), or another ISO 8601 form a file already holds
/// (<c>2026-03-29T09:23:20Z</c>). A value read and written back unchanged keeps its exact text, so a file in git does
/// not change where its data did not; a new value is written as <c>toISOString()</c> writes it.
/// </summary>
/// <remarks>
/// <para>
/// Two timestamps are equal when they are the same instant, whatever their texts (<c>…:20Z</c> equals
/// <c>…:20.000Z</c>). Serialized by <see cref="IsoTimestampConverter"/>, with reflection or a source-generated
/// context alike; text that is not a timestamp is a <see cref="System.Text.Json.JsonException"/> (a store reports it as
/// a corrupt file).
/// </para>
/// <para>
/// Accepted: <c>YYYY-MM-DD</c> (midnight UTC, as JavaScript reads it), and <c>YYYY-MM-DDTHH:mm</c> with optional
/// <c>:ss</c> and 1 to 9 fraction digits, followed by <c>Z</c> or an offset <c>±HH:mm</c>. Not accepted: a date and
/// time without a zone, which JavaScript reads as the machine's local time (so the instant would depend on where the
/// file is read), and years outside 0001 to 9999: JavaScript's year 0000 and its six-digit years
/// (<c>+275760-09-13T00:00:00.000Z</c>) have no <see cref="DateTimeOffset"/>. Every instant a
/// <see cref="DateTimeOffset"/> holds has a four-digit year, which <c>toISOString()</c> writes as this does. Fraction
/// digits beyond the seventh (100 ns) are kept in the text but not in <see cref="Value"/>.
/// </para>
/// </remarks>
[JsonConverter(typeof(IsoTimestampConverter))]
public readonly struct IsoTimestamp : IEquatable<IsoTimestamp>, IComparable<IsoTimestamp>
{
    /// <summary>Length of <c>toISOString()</c>'s form for a four-digit year.</summary>
    internal const int IsoLength = 24;

    // Null when the text is toISOString()'s form of the value: nothing to keep, and nothing allocated.
    private readonly string? _text;

    private IsoTimestamp(DateTimeOffset value, string? text)
    {
        Value = value;
        _text = text;
    }

    /// <summary>The instant, in UTC (offset zero).</summary>
    public DateTimeOffset Value { get; }

    /// <summary>The text this timestamp is written as: the text it was read from, or <c>toISOString()</c>'s form.</summary>
    public string Text => _text ?? new string(FormatIso(Value, stackalloc char[IsoLength]));

    /// <summary>Now, to the millisecond, as <c>new Date().toISOString()</c> gives it.</summary>
    public static IsoTimestamp Now => From(DateTimeOffset.UtcNow);

    /// <summary>
    /// A new timestamp, written as <c>toISOString()</c> writes it: UTC, three fraction digits. Truncated to the
    /// millisecond (as a JavaScript <c>Date</c> is), so that it equals itself read back.
    /// </summary>
    public static IsoTimestamp From(DateTimeOffset value)
    {
        long ticks = value.UtcTicks;
        return new IsoTimestamp(new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero), null);
    }

    /// <summary>
    /// A new timestamp from a <see cref="DateTime"/>, taken as its conversion to <see cref="DateTimeOffset"/> takes
    /// it: <see cref="DateTimeKind.Unspecified"/> is local time.
    /// </summary>
    public static IsoTimestamp From(DateTime value) => From((DateTimeOffset)value);

    /// <summary>Reads an ISO 8601 timestamp, keeping its text.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a form this type accepts (see the remarks on <see cref="IsoTimestamp"/>).</exception>
    public static IsoTimestamp Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text.AsSpan(), text, out IsoTimestamp timestamp)
            ? timestamp
            : throw new FormatException($"'{text}' is not an ISO 8601 timestamp with a zone (such as 2026-02-08T14:51:11.630Z) in the years 0001 to 9999.");
    }

    /// <summary>Reads an ISO 8601 timestamp, keeping its text; false when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, out IsoTimestamp timestamp)
    {
        timestamp = default;
        return text is not null && TryParse(text.AsSpan(), text, out timestamp);
    }

    /// <summary>A new timestamp, written as <c>toISOString()</c> writes it; see <see cref="From(DateTimeOffset)"/>.</summary>
    public static implicit operator IsoTimestamp(DateTimeOffset value) => From(value);

    /// <summary>A new timestamp, written as <c>toISOString()</c> writes it; see <see cref="From(DateTime)"/>.</summary>
    public static implicit operator IsoTimestamp(DateTime value) => From(value);

    /// <summary>Whether both are the same instant.</summary>
    public static bool operator ==(IsoTimestamp left, IsoTimestamp right) => left.Equals(right);

    /// <summary>Whether they are different instants.</summary>
    public static bool operator !=(IsoTimestamp left, IsoTimestamp right) => !left.Equals(right);

    /// <summary>Whether <paramref name="left"/> is the earlier instant.</summary>
    public static bool operator <(IsoTimestamp left, IsoTimestamp right) => left.CompareTo(right) < 0;

    /// <summary>Whether <paramref name="left"/> is the earlier or the same instant.</summary>
    public static bool operator <=(IsoTimestamp left, IsoTimestamp right) => left.CompareTo(right) <= 0;

    /// <summary>Whether <paramref name="left"/> is the later instant.</summary>
    public static bool operator >(IsoTimestamp left, IsoTimestamp right) => left.CompareTo(right) > 0;

    /// <summary>Whether <paramref name="left"/> is the later or the same instant.</summary>
    public static bool operator >=(IsoTimestamp left, IsoTimestamp right) => left.CompareTo(right) >= 0;

    /// <summary>Whether both are the same instant, whatever their texts.</summary>
    public bool Equals(IsoTimestamp other) => Value.UtcTicks == other.Value.UtcTicks;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is IsoTimestamp other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => Value.UtcTicks.GetHashCode();

    /// <summary>Orders by instant.</summary>
    public int CompareTo(IsoTimestamp other) => Value.UtcTicks.CompareTo(other.Value.UtcTicks);

    /// <summary>The text: <see cref="Text"/>.</summary>
    public override string ToString() => Text;

    /// <summary>Writes the text into <paramref name="buffer"/> (at least <see cref="IsoLength"/> long) unless it is kept; returns it.</summary>
    internal ReadOnlySpan<char> TextSpan(Span<char> buffer) => _text is null ? FormatIso(Value, buffer) : _text.AsSpan();

    /// <summary>
    /// Reads <paramref name="text"/>; the timestamp keeps it (as <paramref name="kept"/> if given, else a new string)
    /// unless it is exactly <c>toISOString()</c>'s form of the instant.
    /// </summary>
    internal static bool TryParse(ReadOnlySpan<char> text, string? kept, out IsoTimestamp timestamp)
    {
        timestamp = default;
        if (!IsoTimestampText.TryRead(text, out long utcTicks))
        {
            return false;
        }

        var value = new DateTimeOffset(utcTicks, TimeSpan.Zero);
        bool canonical = text.SequenceEqual(FormatIso(value, stackalloc char[IsoLength]));
        timestamp = new IsoTimestamp(value, canonical ? null : kept ?? new string(text));
        return true;
    }

    /// <summary><c>toISOString()</c>'s form: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>, UTC.</summary>
    private static ReadOnlySpan<char> FormatIso(DateTimeOffset value, Span<char> buffer)
    {
        DateTime utc = value.UtcDateTime;
        Digits(buffer[..4], utc.Year);
        buffer[4] = '-';
        Digits(buffer.Slice(5, 2), utc.Month);
        buffer[7] = '-';
        Digits(buffer.Slice(8, 2), utc.Day);
        buffer[10] = 'T';
        Digits(buffer.Slice(11, 2), utc.Hour);
        buffer[13] = ':';
        Digits(buffer.Slice(14, 2), utc.Minute);
        buffer[16] = ':';
        Digits(buffer.Slice(17, 2), utc.Second);
        buffer[19] = '.';
        Digits(buffer.Slice(20, 3), utc.Millisecond);
        buffer[23] = 'Z';
        return buffer[..IsoLength];
    }

    private static void Digits(Span<char> span, int value)
    {
        for (int i = span.Length - 1; i >= 0; i--)
        {
            span[i] = (char)('0' + (value % 10));
            value /= 10;
        }
    }
}
