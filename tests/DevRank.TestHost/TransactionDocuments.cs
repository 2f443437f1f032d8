using DevRank.AtomicStore;

namespace DevRank.TestHost;

/// <summary>
/// What each of the four stores of a transaction test holds: the sequence number of the commit that wrote it, and a
/// payload of its own size with a checksum, so that a torn or mixed file cannot pass <see cref="LedgerPart.IsWhole"/>.
/// </summary>
internal interface ILedgerPart
{
    long Seq { get; }

    bool IsWhole();
}

/// <summary>The payloads and checks the four ledger stores share.</summary>
internal static class LedgerPart
{
    /// <summary>Payload sizes: 1 KB, 16 KB, 256 KB, 2 MB ("full"), or 1 KB each ("small", for the system-call suite).</summary>
    public static int SizeOf(int part, bool small) => small ? 1024 : part switch
    {
        0 => 1024,
        1 => 16 << 10,
        2 => 256 << 10,
        _ => 2 << 20,
    };

    public static string Payload(long seq, int length) => string.Create(length, seq, static (span, s) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + (int)((i * 31 + s) % 26));
        }
    });

    public static uint Fnv(string text)
    {
        uint hash = 2166136261;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 16777619;
        }

        return hash;
    }
}

[AtomicStore("ledger-a.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record LedgerA(long Seq, int Length, uint Checksum, string Payload) : ILedgerPart
{
    public static LedgerA Make(long seq, bool small)
    {
        string payload = LedgerPart.Payload(seq, LedgerPart.SizeOf(0, small));
        return new LedgerA(seq, payload.Length, LedgerPart.Fnv(payload), payload);
    }

    public bool IsWhole() => Payload.Length == Length && LedgerPart.Fnv(Payload) == Checksum;
}

[AtomicStore("ledger-b.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record LedgerB(long Seq, int Length, uint Checksum, string Payload) : ILedgerPart
{
    public static LedgerB Make(long seq, bool small)
    {
        string payload = LedgerPart.Payload(seq, LedgerPart.SizeOf(1, small));
        return new LedgerB(seq, payload.Length, LedgerPart.Fnv(payload), payload);
    }

    public bool IsWhole() => Payload.Length == Length && LedgerPart.Fnv(Payload) == Checksum;
}

[AtomicStore("ledger-c.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record LedgerC(long Seq, int Length, uint Checksum, string Payload) : ILedgerPart
{
    public static LedgerC Make(long seq, bool small)
    {
        string payload = LedgerPart.Payload(seq, LedgerPart.SizeOf(2, small));
        return new LedgerC(seq, payload.Length, LedgerPart.Fnv(payload), payload);
    }

    public bool IsWhole() => Payload.Length == Length && LedgerPart.Fnv(Payload) == Checksum;
}

/// <summary>The fourth store lives in a sub-folder: its temp and its rename are flushed in a folder of their own.</summary>
[AtomicStore("state/ledger-d.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record LedgerD(long Seq, int Length, uint Checksum, string Payload) : ILedgerPart
{
    public static LedgerD Make(long seq, bool small)
    {
        string payload = LedgerPart.Payload(seq, LedgerPart.SizeOf(3, small));
        return new LedgerD(seq, payload.Length, LedgerPart.Fnv(payload), payload);
    }

    public bool IsWhole() => Payload.Length == Length && LedgerPart.Fnv(Payload) == Checksum;
}

/// <summary>Counters that two processes increment in transactions touching them in opposite orders.</summary>
[AtomicStore("tally-a.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record TallyA(long N);

[AtomicStore("tally-b.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record TallyB(long N);

[AtomicStore("tally-c.json", JsonContext = typeof(HostJson), LockTimeoutMilliseconds = 60_000)]
internal sealed partial record TallyC(long N);
