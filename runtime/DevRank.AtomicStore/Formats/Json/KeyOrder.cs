using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace DevRank.AtomicStore;

/// <summary>
/// The first of two passes over a document: validates it, and finds the objects whose members JavaScript holds in
/// another order than their text gives, or fewer of them. A JavaScript object keeps its array-index keys ("0" to
/// "4294967294", canonical: no sign, no leading zero) first, in ascending order, and its other keys in the order they
/// were added; a key given twice keeps its first place and its last value. For each such object this records the order
/// to write its members in; every other object is written as it stands, in one forward pass, with nothing kept.
/// </summary>
/// <remarks>
/// Finding a repeated key means comparing each key with the others of its object: directly for small objects, through
/// a hash table for objects of more than <see cref="LinearSearchLimit"/> members. The members of the objects open at
/// any moment are kept (pooled) until each closes, so the memory this takes is that of the widest open objects, not of
/// the document.
/// </remarks>
internal sealed class KeyOrder : IDisposable
{
    private const int LinearSearchLimit = 16;

    /// <summary>The largest array index: 2^32 - 2 (2^32 - 1 is an array's largest length, not an index).</summary>
    private const long MaxArrayIndex = 4_294_967_294;

    private Member[] _members = ArrayPool<Member>.Shared.Rent(64);
    private int _memberCount;
    private byte[] _decoded = [];
    private int _decodedUsed;
    private Frame?[] _frames = new Frame?[8];
    private int _depth;
    private Plan[] _plans = [];
    private int _planCount;
    private PlanMember[] _planMembers = [];
    private int _planMemberCount;

    private KeyOrder()
    {
    }

    /// <summary>Where a member's key (its opening quote) and its value start, in the document.</summary>
    internal readonly record struct PlanMember(int KeyStart, int ValueStart);

    /// <summary>Validates <paramref name="json"/> (one JSON value, UTF-8) and finds the objects to reorder.</summary>
    /// <exception cref="JsonException">The document is not valid JSON, or is nested deeper than <paramref name="maxDepth"/>.</exception>
    public static KeyOrder Scan(ReadOnlySpan<byte> json, int maxDepth)
    {
        // The reader does not check the UTF-8 of strings it is not asked to decode.
        if (!Utf8.IsValid(json))
        {
            throw new JsonException("The document is not valid UTF-8.");
        }

        var order = new KeyOrder();
        try
        {
            order.Read(json, maxDepth);
            // Found as objects close (inner ones first); looked up by where they open.
            order._plans.AsSpan(0, order._planCount).Sort();
            return order;
        }
        catch
        {
            order.Dispose();
            throw;
        }
    }

    /// <summary>The members of the object that starts at <paramref name="objectStart"/>, in JavaScript's order, if it has to be reordered.</summary>
    public bool TryGetPlan(int objectStart, out ReadOnlySpan<PlanMember> members, out int end)
    {
        int found = _planCount == 0 ? -1 : _plans.AsSpan(0, _planCount).BinarySearch(new Plan(objectStart, 0, 0, 0));
        if (found >= 0)
        {
            Plan plan = _plans[found];
            members = _planMembers.AsSpan(plan.First, plan.Count);
            end = plan.End;
            return true;
        }

        members = default;
        end = 0;
        return false;
    }

    public void Dispose()
    {
        ReturnTo(ref _members);
        ReturnTo(ref _decoded);
        ReturnTo(ref _planMembers);
        ReturnTo(ref _plans);
        foreach (Frame? frame in _frames)
        {
            frame?.DropTable();
        }
    }

    private static void ReturnTo<T>(ref T[] array)
    {
        T[] rented = array;
        array = [];
        if (rented.Length > 0)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }

    private void Read(ReadOnlySpan<byte> json, int maxDepth)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        int valueOf = -1; // the member whose value comes next
        while (reader.Read())
        {
            JsonTokenType token = reader.TokenType;
            if (valueOf >= 0 && token != JsonTokenType.PropertyName && token != JsonTokenType.EndObject)
            {
                _members[valueOf].ValueStart = (int)reader.TokenStartIndex;
                valueOf = -1;
            }

            switch (token)
            {
                case JsonTokenType.StartObject:
                    Open((int)reader.TokenStartIndex);
                    break;
                case JsonTokenType.PropertyName:
                    valueOf = Key(json, (int)reader.TokenStartIndex, reader.ValueSpan, reader.ValueIsEscaped);
                    break;
                case JsonTokenType.EndObject:
                    Close((int)reader.TokenStartIndex + 1);
                    break;
            }
        }
    }

    private void Open(int objectStart)
    {
        if (_depth == _frames.Length)
        {
            Array.Resize(ref _frames, _frames.Length * 2);
        }

        Frame frame = _frames[_depth++] ??= new Frame();
        frame.Start(objectStart, _memberCount, _decodedUsed);
    }

    /// <summary>Records a key of the innermost open object; returns the member that will take the value that follows.</summary>
    private int Key(ReadOnlySpan<byte> json, int keyStart, ReadOnlySpan<byte> raw, bool escaped)
    {
        Frame frame = _frames[_depth - 1]!;
        int decodedStart = -1;
        int decodedLength = raw.Length;
        if (escaped)
        {
            if (_decoded.Length - _decodedUsed < raw.Length)
            {
                Grow(ref _decoded, _decodedUsed + raw.Length);
            }

            decodedStart = _decodedUsed;
            decodedLength = JavaScriptStrings.Decode(raw, _decoded.AsSpan(_decodedUsed));
            _decodedUsed += decodedLength;
        }

        var member = new Member
        {
            KeyStart = keyStart,
            DecodedStart = decodedStart,
            DecodedLength = decodedLength,
            Index = ArrayIndex(escaped ? _decoded.AsSpan(decodedStart, decodedLength) : raw),
        };

        int earlier = frame.Table is null ? FindLinear(json, frame, member) : FindHashed(json, frame, ref member);
        if (earlier >= 0)
        {
            // A repeated key: its first place, its last value (the one about to be read).
            frame.NeedsPlan = true;
            _decodedUsed = escaped ? decodedStart : _decodedUsed;
            return earlier;
        }

        if (member.Index >= 0)
        {
            frame.NeedsPlan |= frame.SawOtherKey || member.Index < frame.LastIndex;
            frame.LastIndex = Math.Max(frame.LastIndex, member.Index);
        }
        else
        {
            frame.SawOtherKey = true;
        }

        if (_memberCount == _members.Length)
        {
            Grow(ref _members, _memberCount + 1);
        }

        int at = _memberCount++;
        _members[at] = member;
        if (frame.Table is not null)
        {
            frame.Insert(_members, at);
        }
        else if (at - frame.FirstMember + 1 > LinearSearchLimit)
        {
            for (int i = frame.FirstMember; i <= at; i++)
            {
                _members[i].Hash = Hash(DecodedKey(json, _members[i]));
            }

            frame.BuildTable(_members, _memberCount);
        }

        return at;
    }

    private int FindLinear(ReadOnlySpan<byte> json, Frame frame, Member member)
    {
        ReadOnlySpan<byte> key = DecodedKey(json, member);
        for (int i = frame.FirstMember; i < _memberCount; i++)
        {
            if (_members[i].DecodedLength == key.Length && DecodedKey(json, _members[i]).SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    private int FindHashed(ReadOnlySpan<byte> json, Frame frame, ref Member member)
    {
        ReadOnlySpan<byte> key = DecodedKey(json, member);
        member.Hash = Hash(key);
        int[] table = frame.Table!;
        int mask = frame.Mask;
        for (int slot = member.Hash & mask; table[slot] != 0; slot = (slot + 1) & mask)
        {
            int i = table[slot] - 1;
            if (_members[i].Hash == member.Hash && _members[i].DecodedLength == key.Length && DecodedKey(json, _members[i]).SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }

    private ReadOnlySpan<byte> DecodedKey(ReadOnlySpan<byte> json, in Member member) => member.DecodedStart < 0
        ? json.Slice(member.KeyStart + 1, member.DecodedLength)
        : _decoded.AsSpan(member.DecodedStart, member.DecodedLength);

    private void Close(int end)
    {
        Frame frame = _frames[--_depth]!;
        if (frame.NeedsPlan)
        {
            AddPlan(frame.ObjectStart, end, _members.AsSpan(frame.FirstMember, _memberCount - frame.FirstMember));
        }

        _memberCount = frame.FirstMember;
        _decodedUsed = frame.DecodedStart;
        frame.DropTable();
    }

    /// <summary>Array-index keys in ascending order, then the others in the order they came.</summary>
    private void AddPlan(int objectStart, int end, ReadOnlySpan<Member> members)
    {
        if (_planMembers.Length - _planMemberCount < members.Length)
        {
            Grow(ref _planMembers, _planMemberCount + members.Length);
        }

        int first = _planMemberCount;
        (long Index, int At)[] indexed = ArrayPool<(long, int)>.Shared.Rent(members.Length);
        try
        {
            int count = 0;
            for (int i = 0; i < members.Length; i++)
            {
                if (members[i].Index >= 0)
                {
                    indexed[count++] = (members[i].Index, i);
                }
            }

            Span<(long Index, int At)> sorted = indexed.AsSpan(0, count);
            sorted.Sort();
            foreach ((long _, int at) in sorted)
            {
                _planMembers[_planMemberCount++] = new PlanMember(members[at].KeyStart, members[at].ValueStart);
            }
        }
        finally
        {
            ArrayPool<(long, int)>.Shared.Return(indexed);
        }

        foreach (Member member in members)
        {
            if (member.Index < 0)
            {
                _planMembers[_planMemberCount++] = new PlanMember(member.KeyStart, member.ValueStart);
            }
        }

        if (_planCount == _plans.Length)
        {
            Grow(ref _plans, _planCount + 1);
        }

        _plans[_planCount++] = new Plan(objectStart, first, _planMemberCount - first, end);
    }

    /// <summary>The key as an array index, or -1 when it is not one.</summary>
    private static long ArrayIndex(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty || key.Length > 10 || (key[0] == '0' && key.Length > 1))
        {
            return -1;
        }

        long value = 0;
        foreach (byte c in key)
        {
            if (c is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value <= MaxArrayIndex ? value : -1;
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        return hash.ToHashCode() & int.MaxValue;
    }

    private static void Grow<T>(ref T[] array, int needed)
    {
        T[] next = ArrayPool<T>.Shared.Rent(Math.Max(needed, Math.Max(64, array.Length * 2)));
        array.AsSpan().CopyTo(next);
        T[] old = array;
        array = next;
        if (old.Length > 0)
        {
            ArrayPool<T>.Shared.Return(old);
        }
    }

    private struct Member
    {
        public int KeyStart;
        public int DecodedStart; // -1: the key has no escapes, its bytes are the document's
        public int DecodedLength;
        public long Index;
        public int Hash;
        public int ValueStart;
    }

    /// <summary>An object to reorder: where it starts and ends, and its members in <c>_planMembers</c>.</summary>
    private readonly record struct Plan(int Start, int First, int Count, int End) : IComparable<Plan>
    {
        public int CompareTo(Plan other) => Start.CompareTo(other.Start);
    }

    /// <summary>One open object.</summary>
    private sealed class Frame
    {
        public int ObjectStart;
        public int FirstMember;
        public int DecodedStart;
        public bool NeedsPlan;
        public bool SawOtherKey;
        public long LastIndex;
        public int[]? Table; // member + 1 by hash, open addressing; only for objects of many members
        public int Mask; // the table's size (a power of two; a rented array may be longer) - 1
        private int _entries;

        public void Start(int objectStart, int firstMember, int decodedStart)
        {
            ObjectStart = objectStart;
            FirstMember = firstMember;
            DecodedStart = decodedStart;
            NeedsPlan = false;
            SawOtherKey = false;
            LastIndex = -1;
        }

        public void BuildTable(Member[] members, int count)
        {
            DropTable();
            Allocate(4 * LinearSearchLimit);
            for (int i = FirstMember; i < count; i++)
            {
                Insert(members, i);
            }
        }

        /// <summary>Adds a member, doubling the table first when it would be more than half full.</summary>
        public void Insert(Member[] members, int at)
        {
            int[] table = Table!;
            int size = Mask + 1;
            if (2 * (_entries + 1) > size)
            {
                Allocate(2 * size);
                for (int slot = 0; slot < size; slot++)
                {
                    if (table[slot] != 0)
                    {
                        Place(members, table[slot] - 1);
                    }
                }

                ArrayPool<int>.Shared.Return(table);
            }

            Place(members, at);
        }

        public void DropTable()
        {
            if (Table is not null)
            {
                ArrayPool<int>.Shared.Return(Table);
                Table = null;
                _entries = 0;
            }
        }

        private void Allocate(int size)
        {
            Table = ArrayPool<int>.Shared.Rent(size);
            Array.Clear(Table, 0, size);
            Mask = size - 1;
            _entries = 0;
        }

        private void Place(Member[] members, int at)
        {
            int[] table = Table!;
            int slot = members[at].Hash & Mask;
            while (table[slot] != 0)
            {
                slot = (slot + 1) & Mask;
            }

            table[slot] = at + 1;
            _entries++;
        }
    }
}
