using System.Buffers;
using System.Runtime.CompilerServices;

namespace DevRank.AtomicStore;

/// <summary>
/// The second pass: writes a validated document as <c>JSON.stringify(JSON.parse(text), null, indent)</c> does, member
/// by member, in the order <see cref="KeyOrder"/> found.
/// </summary>
/// <remarks>
/// The document was validated by the first pass, so this reads it with a plain scanner: it never needs to check what
/// it reads, and can jump to the members of a reordered object wherever they are.
/// </remarks>
internal ref struct JsonEmitter
{
    private readonly ReadOnlySpan<byte> _json;
    private readonly KeyOrder _order;
    private readonly int _indent;
    private JsonOutput _output;

    private JsonEmitter(ReadOnlySpan<byte> json, KeyOrder order, int indent, IBufferWriter<byte> writer)
    {
        _json = json;
        _order = order;
        _indent = indent;
        _output = new JsonOutput(writer);
    }

    /// <summary>Writes <paramref name="json"/>, which <paramref name="order"/> scanned, into <paramref name="writer"/>.</summary>
    public static void Emit(ReadOnlySpan<byte> json, KeyOrder order, int indent, IBufferWriter<byte> writer)
    {
        var emitter = new JsonEmitter(json, order, indent, writer);
        emitter.WriteValue(emitter.SkipWhitespace(0), depth: 0);
        emitter._output.Complete();
    }

    /// <summary>Writes the value that starts at <paramref name="at"/>; returns where it ends.</summary>
    private int WriteValue(int at, int depth)
    {
        switch (_json[at])
        {
            case (byte)'{':
                return WriteObject(at, depth);
            case (byte)'[':
                return WriteArray(at, depth);
            case (byte)'"':
                return WriteString(at);
            case (byte)'t':
                _output.Write("true"u8);
                return at + 4;
            case (byte)'f':
                _output.Write("false"u8);
                return at + 5;
            case (byte)'n':
                _output.Write("null"u8);
                return at + 4;
            default:
                int end = at + 1;
                while (end < _json.Length && IsNumberByte(_json[end]))
                {
                    end++;
                }

                JavaScriptNumbers.Write(_json[at..end], ref _output);
                return end;
        }
    }

    private int WriteObject(int at, int depth)
    {
        // A document nested as deep as the reader allows would otherwise take this thread's stack to its end.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (_order.TryGetPlan(at, out ReadOnlySpan<KeyOrder.PlanMember> members, out int end))
        {
            _output.Write((byte)'{');
            for (int i = 0; i < members.Length; i++)
            {
                if (i > 0)
                {
                    _output.Write((byte)',');
                }

                NewLine(depth + 1);
                WriteString(members[i].KeyStart);
                Colon();
                WriteValue(members[i].ValueStart, depth + 1);
            }

            NewLine(depth);
            _output.Write((byte)'}');
            return end;
        }

        int next = SkipWhitespace(at + 1);
        if (_json[next] == '}')
        {
            _output.Write("{}"u8);
            return next + 1;
        }

        _output.Write((byte)'{');
        while (true)
        {
            NewLine(depth + 1);
            next = SkipWhitespace(WriteString(next));
            Colon();
            next = SkipWhitespace(WriteValue(SkipWhitespace(next + 1), depth + 1));
            if (_json[next] != ',')
            {
                break;
            }

            _output.Write((byte)',');
            next = SkipWhitespace(next + 1);
        }

        NewLine(depth);
        _output.Write((byte)'}');
        return next + 1;
    }

    private int WriteArray(int at, int depth)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        int next = SkipWhitespace(at + 1);
        if (_json[next] == ']')
        {
            _output.Write("[]"u8);
            return next + 1;
        }

        _output.Write((byte)'[');
        while (true)
        {
            NewLine(depth + 1);
            next = SkipWhitespace(WriteValue(next, depth + 1));
            if (_json[next] != ',')
            {
                break;
            }

            _output.Write((byte)',');
            next = SkipWhitespace(next + 1);
        }

        NewLine(depth);
        _output.Write((byte)']');
        return next + 1;
    }

    /// <summary>Writes the string whose opening quote is at <paramref name="at"/>; returns the end of its closing quote.</summary>
    private int WriteString(int at)
    {
        ReadOnlySpan<byte> rest = _json[(at + 1)..];
        int end = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (rest[end] == '\\')
        {
            // Escapes: find the closing quote, skipping escaped characters.
            while (rest[end] != '"')
            {
                end += rest[end] == '\\' ? 2 : 1;
                end += rest[end..].IndexOfAny((byte)'"', (byte)'\\');
            }
        }

        _output.Write((byte)'"');
        JavaScriptStrings.WriteContent(rest[..end], ref _output);
        _output.Write((byte)'"');
        return at + 1 + end + 1;
    }

    private void Colon()
    {
        if (_indent > 0)
        {
            _output.Write(": "u8);
        }
        else
        {
            _output.Write((byte)':');
        }
    }

    private void NewLine(int depth)
    {
        if (_indent > 0)
        {
            _output.Write((byte)'\n');
            _output.Repeat((byte)' ', _indent * depth);
        }
    }

    private readonly int SkipWhitespace(int at)
    {
        while (at < _json.Length && _json[at] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            at++;
        }

        return at;
    }

    private static bool IsNumberByte(byte c) => c is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E';
}
