using System.Globalization;
using System.Text;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// Seeded random JSON documents that reach every case of JavaScript's output: strings from every plane, raw or
/// escaped (either case of hex), control characters, lone surrogates, U+2028/2029; numbers in many spellings of the
/// same value, with the edges of Number::toString; objects whose keys look like array indices, or nearly, or repeat.
/// </summary>
/// <remarks>
/// Every number is spelled so that it denotes its double's shortest digits exactly: those are the numbers JavaScript
/// and the writer print alike. (Integers that a double cannot hold are the writer's one deliberate difference; they
/// have their own tests.)
/// </remarks>
internal sealed class RandomJson(int seed)
{
    private static readonly string[] IndexLikeKeys =
    [
        "0", "1", "2", "3", "7", "10", "42", "100", "4294967294", "4294967295", "4294967296", "9999999999",
        "12345678901", "01", "00", "-1", "-0", "+1", "1.5", "1e3", " 1", "1 ", "0x1",
    ];

    private static readonly string[] NameKeys = ["a", "b", "id", "name", "__proto__", "constructor", "", "é", "😀"];

    private static readonly double[] SpecialNumbers =
    [
        0, -0.0, 1, -1, 0.1, 0.5, 0.2 + 0.1, 1.1, 4.35, 100, 12345.678, 1e21, 1e-7, 1e-6, 1.5e-7, 1e20, 1e15, 1e16,
        1e17, 1e100, 1.2e-300, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
        -1.7976931348623157e308, 9007199254740992, 9007199254740991, -9007199254740992, 9007199254740994,
        9007199254740996, 999999999999999900000.0, 123456789012345680000.0, 1.0000000000000002, 0.000001, 0.0000001,
        4294967295, 4294967296, 1e-5, 123e-20, 9.999999999999999e20, 1e22,
    ];

    private const long TwoTo53 = 1L << 53;

    private readonly Random _random = new(seed);
    private readonly StringBuilder _text = new();
    private bool _spaced;

    public string Document()
    {
        _text.Clear();
        // Some documents are spaced out (System.Text.Json's indented output, or any other): whitespace is not content.
        _spaced = _random.Next(10) == 0;
        Value(0);
        return _text.ToString();
    }

    /// <summary>A string of random content (no lone surrogates unless asked for), for .NET values.</summary>
    public string PlainString(int maxUnits, bool loneSurrogates = false)
    {
        var builder = new StringBuilder();
        int units = _random.Next(maxUnits + 1);
        for (int i = 0; i < units; i++)
        {
            int codePoint = CodePoint(loneSurrogates);
            builder.Append(codePoint is >= 0xD800 and <= 0xDFFF ? ((char)codePoint).ToString() : char.ConvertFromUtf32(codePoint));
        }

        return builder.ToString();
    }

    /// <summary>A double from the same mix the documents use.</summary>
    public double Double() => _random.Next(4) switch
    {
        0 => SpecialNumbers[_random.Next(SpecialNumbers.Length)],
        1 => _random.NextInt64(-TwoTo53, TwoTo53 + 1),
        2 => FromBits(),
        _ => Scaled(),
    };

    public int Next(int max) => _random.Next(max);

    public long NextInt64(long min, long max) => _random.NextInt64(min, max);

    private void Value(int depth)
    {
        int pick = _random.Next(100);
        if (depth < 5 && pick < 25)
        {
            Object(depth);
        }
        else if (depth < 5 && pick < 45)
        {
            Array(depth);
        }
        else if (pick < 65)
        {
            String(_random.Next(4) == 0 ? 40 : 8);
        }
        else if (pick < 90)
        {
            Number();
        }
        else
        {
            _text.Append(_random.Next(3) switch { 0 => "true", 1 => "false", _ => "null" });
        }
    }

    private void Object(int depth)
    {
        // Now and then an object wide enough for the writer's hash table of keys.
        int members = depth < 3 && _random.Next(30) == 0 ? _random.Next(17, 60) : _random.Next(7);
        _text.Append('{');
        for (int i = 0; i < members; i++)
        {
            if (i > 0)
            {
                Token(",");
            }

            Space();
            Key();
            Token(":");
            Space();
            Value(depth + 1);
        }

        Space();
        _text.Append('}');
    }

    private void Array(int depth)
    {
        int items = _random.Next(7);
        _text.Append('[');
        for (int i = 0; i < items; i++)
        {
            if (i > 0)
            {
                Token(",");
            }

            Space();
            Value(depth + 1);
        }

        Space();
        _text.Append(']');
    }

    private void Key()
    {
        int pick = _random.Next(100);
        if (pick < 35)
        {
            string key = IndexLikeKeys[_random.Next(IndexLikeKeys.Length)];
            _text.Append('"');
            foreach (char c in key)
            {
                // "\u0031" is the key "1" as much as "1" is.
                AppendUnit(c, escape: _random.Next(5) == 0);
            }

            _text.Append('"');
        }
        else if (pick < 50)
        {
            _text.Append('"').Append(NameKeys[_random.Next(NameKeys.Length)]).Append('"');
        }
        else
        {
            String(6);
        }
    }

    private void String(int maxUnits)
    {
        _text.Append('"');
        int units = _random.Next(maxUnits + 1);
        for (int i = 0; i < units; i++)
        {
            int codePoint = CodePoint(loneSurrogates: true);
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                AppendEscape(codePoint); // the only way JSON text holds a lone surrogate
            }
            else if (codePoint > 0xFFFF)
            {
                if (_random.Next(3) == 0)
                {
                    string pair = char.ConvertFromUtf32(codePoint);
                    AppendEscape(pair[0]);
                    AppendEscape(pair[1]);
                }
                else
                {
                    _text.Append(char.ConvertFromUtf32(codePoint));
                }
            }
            else
            {
                AppendUnit((char)codePoint, escape: _random.Next(4) == 0);
            }
        }

        _text.Append('"');
    }

    private int CodePoint(bool loneSurrogates)
    {
        int pick = _random.Next(100);
        return pick switch
        {
            < 40 => _random.Next(0x20, 0x7F),
            < 50 => _random.Next(3) == 0 ? 0x7F : _random.Next(0x20),
            < 55 => "\"\\/"[_random.Next(3)],
            < 62 => new[] { 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0xA0, 0x85, 0xE9, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000 }[_random.Next(13)],
            < 72 => _random.Next(3) switch
            {
                0 => _random.Next(0x80, 0x800),
                1 => _random.Next(0x800, 0xD800),
                _ => _random.Next(0xE000, 0x10000),
            },
            < 80 => _random.Next(0x1F300, 0x1FB00), // emoji
            < 88 => (_random.Next(1, 17) << 16) | _random.Next(0x10000), // any astral plane, up to U+10FFFF
            < 95 when loneSurrogates => _random.Next(0xD800, 0xE000),
            _ => _random.Next('a', 'z' + 1),
        };
    }

    /// <summary>One UTF-16 unit that is not a surrogate, escaped if it must be or if asked.</summary>
    private void AppendUnit(char c, bool escape)
    {
        switch (c)
        {
            case '"':
                _text.Append(escape ? "\\u0022" : "\\\"");
                return;
            case '\\':
                _text.Append(escape ? "\\u005C" : "\\\\");
                return;
            case '/':
                _text.Append(escape ? "\\/" : "/");
                return;
            case < ' ':
                string? shortForm = c switch { '\b' => "\\b", '\f' => "\\f", '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", _ => null };
                if (shortForm is not null && !escape)
                {
                    _text.Append(shortForm);
                }
                else
                {
                    AppendEscape(c);
                }

                return;
            default:
                if (escape)
                {
                    AppendEscape(c);
                }
                else
                {
                    _text.Append(c);
                }

                return;
        }
    }

    private void AppendEscape(int unit) =>
        _text.Append("\\u").Append(unit.ToString(_random.Next(2) == 0 ? "x4" : "X4", CultureInfo.InvariantCulture));

    private void Number()
    {
        double value = Double();
        _text.Append(Spell(value));
    }

    /// <summary>One of the spellings JSON allows for exactly the value of <paramref name="value"/>'s shortest digits.</summary>
    private string Spell(double value)
    {
        string shortest = value.ToString("R", CultureInfo.InvariantCulture);
        if (value == 0)
        {
            string sign = double.IsNegative(value) ? "-" : "";
            return sign + new[] { "0", "0.0", "0e0", "0E+5", "0.000e-3" }[_random.Next(5)];
        }

        if (Math.Abs(value) <= TwoTo53 && value == Math.Floor(value) && _random.Next(2) == 0)
        {
            return ((long)value).ToString(CultureInfo.InvariantCulture);
        }

        // Digits and the decimal point's place, from .NET's shortest form: value = ±0.DIGITS × 10^point.
        bool negative = shortest[0] == '-';
        string body = negative ? shortest[1..] : shortest;
        int e = body.IndexOf('E', StringComparison.Ordinal);
        int exponent = e < 0 ? 0 : int.Parse(body[(e + 1)..], CultureInfo.InvariantCulture);
        string mantissa = e < 0 ? body : body[..e];
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string allDigits = mantissa.Replace(".", "", StringComparison.Ordinal);
        int point = (dot < 0 ? mantissa.Length : dot) + exponent;
        string trimmed = allDigits.TrimStart('0');
        point -= allDigits.Length - trimmed.Length;
        string digits = trimmed.TrimEnd('0');
        string minus = negative ? "-" : "";
        return _random.Next(6) switch
        {
            0 => shortest,
            1 => shortest.Replace('E', 'e'),
            // d.ddd000e±x
            2 => $"{minus}{digits[0]}.{digits[1..]}{new string('0', _random.Next(1, 4))}e{(point - 1 >= 0 ? "+" : "")}{point - 1}",
            // ddd e±x: an integer mantissa
            3 => $"{minus}{digits}{(_random.Next(2) == 0 ? "e" : "E")}{point - digits.Length}",
            // 0.000ddd e±x
            4 => ZerosFirst(minus, digits, point, _random.Next(4)),
            _ => Plain(minus, digits, point),
        };
    }

    /// <summary>0.(<paramref name="zeros"/> zeros)digits, and the exponent that makes up for them.</summary>
    private static string ZerosFirst(string minus, string digits, int point, int zeros) =>
        minus + "0." + new string('0', zeros) + digits + "e" + (point + zeros).ToString(CultureInfo.InvariantCulture);

    /// <summary>Plain decimal notation, as long as it stays short enough; else the shortest form.</summary>
    private static string Plain(string minus, string digits, int point)
    {
        if (point is < -30 or > 40)
        {
            return minus + "0." + digits + "e" + point.ToString(CultureInfo.InvariantCulture);
        }

        if (point <= 0)
        {
            return minus + "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length
            ? minus + digits + new string('0', point - digits.Length)
            : minus + digits[..point] + "." + digits[point..];
    }

    private double FromBits()
    {
        while (true)
        {
            double value = BitConverter.Int64BitsToDouble(_random.NextInt64(long.MinValue, long.MaxValue));
            if (double.IsFinite(value))
            {
                return value;
            }
        }
    }

    /// <summary>A short decimal scaled by a power of ten: the values around Number::toString's notation switches.</summary>
    private double Scaled()
    {
        double mantissa = _random.Next(1, 1_000_000) * (_random.Next(2) == 0 ? 1 : -1);
        return mantissa * Math.Pow(10, _random.Next(-30, 30));
    }

    private void Token(string token)
    {
        Space();
        _text.Append(token);
    }

    private void Space()
    {
        if (_spaced && _random.Next(3) == 0)
        {
            _text.Append(" \n\t\r"[_random.Next(4)]);
        }
    }
}
