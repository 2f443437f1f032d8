using System.Text.Json;
using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 9d, suite 5 for transactions: two processes commit transactions over overlapping stores, touching them in
/// opposite orders, for a bounded time: one increments tallies A then B, the other C, B, then A. No deadlock (both end
/// in time), and no lost update: A and B each hold the sum of both processes' acknowledged commits, C the second's.
/// DEVRANK_TX_PINGPONG_MS sets the time (CI: 3,000 ms; the documented longer run: 60,000).
/// </summary>
public sealed class TransactionConcurrencyTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    [SkippableFact]
    public void Two_processes_committing_in_opposite_orders_never_deadlock_nor_lose_an_update()
    {
        Skip.IfNot(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "process tests run on Unix");
        int milliseconds = Figures.Count("DEVRANK_TX_PINGPONG_MS", 3000);
        using var forward = new LiveChild("tx-pingpong", _dir.Path, "ab", milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var backward = new LiveChild("tx-pingpong", _dir.Path, "cba", milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A deadlock would hold both past their time (the lock timeout is 60 s): give them their time and a margin.
        TimeSpan limit = TimeSpan.FromMilliseconds(milliseconds) + TimeSpan.FromSeconds(45);
        Assert.True(forward.WaitFor(l => l.StartsWith("retries ", StringComparison.Ordinal), limit), "the 'ab' process did not finish: " + Tail(forward));
        Assert.True(backward.WaitFor(l => l.StartsWith("retries ", StringComparison.Ordinal), limit), "the 'cba' process did not finish: " + Tail(backward));
        Assert.Equal(0, forward.WaitForExit());
        Assert.Equal(0, backward.WaitForExit());

        long ab = CrashDocs.LastAcked(forward.Lines), cba = CrashDocs.LastAcked(backward.Lines);
        long retries = Retries(forward) + Retries(backward);
        long a = Tally("tally-a.json"), b = Tally("tally-b.json"), c = Tally("tally-c.json");

        output.WriteLine(Figures.Record("transactions: 2 processes, opposite orders", $"{milliseconds} ms: commits ab / cba / retries after a conflict / A, B, C / lost",
            $"{ab} / {cba} / {retries} / {a}, {b}, {c} / {ab + cba - a + (ab + cba - b) + (cba - c)}"));
        Assert.True(ab > 0 && cba > 0, "one process never committed");
        Assert.Equal(ab + cba, a);
        Assert.Equal(ab + cba, b);
        Assert.Equal(cba, c);
    }

    private long Tally(string file) => JsonDocument.Parse(File.ReadAllText(_dir.File(file))).RootElement.GetProperty("N").GetInt64();

    private static long Retries(LiveChild child) => long.Parse(child.Lines.Last(l => l.StartsWith("retries ", StringComparison.Ordinal))["retries ".Length..], System.Globalization.CultureInfo.InvariantCulture);

    private static string Tail(LiveChild child) => string.Join('\n', child.Lines.TakeLast(5));
}
