using System.Diagnostics;
using System.Globalization;
using DevRank.AtomicStore;

namespace DevRank.TestHost;

/// <summary>The child's side of the transaction suites (DevRank.Reliability.Tests, TransactionCrashTests and friends).</summary>
internal static class TransactionCommands
{
    /// <summary>Commits <paramref name="seq"/> to all four ledger stores in one transaction.</summary>
    public static int Commit(string folder, long seq, string[] options)
    {
        bool small = options.Contains("--small");
        // Built before the marker, so that a trace of the commit holds only the commit's own calls.
        (LedgerA a, LedgerB b, LedgerC c, LedgerD d) = (LedgerA.Make(seq, small), LedgerB.Make(seq, small), LedgerC.Make(seq, small), LedgerD.Make(seq, small));
        if (options.Contains("--marker"))
        {
            Console.WriteLine("begin");
        }

        using (StoreTransaction tx = StoreTransaction.Begin(folder))
        {
            tx.Save(a);
            tx.Save(b);
            tx.Save(c);
            tx.Save(d);
            tx.Commit();
        }

        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>Finishes whatever a crash interrupted in <paramref name="folder"/> and says what it did.</summary>
    public static int Recover(string folder, string[] options)
    {
        if (options.Contains("--marker"))
        {
            Console.WriteLine("begin");
        }

        StoreRecovery? recovery = StoreTransaction.Recover(folder);
        Console.WriteLine(recovery is null ? "nothing" : string.Create(CultureInfo.InvariantCulture, $"recovered {recovery.RolledForward.Count} {recovery.AlreadyInPlace.Count} {recovery.Discarded.Count}"));
        Console.WriteLine("ok");
        return 0;
    }

    /// <summary>
    /// Commits ever higher sequence numbers to the four ledger stores, acknowledging each; the parent kills it at random.
    /// With <c>--separate</c>, the negative control: four plain saves one after another, which a kill can split.
    /// </summary>
    public static int Loop(string folder, string[] options)
    {
        bool separate = options.Contains("--separate");
        long seq = 0;
        using (StoreSnapshot snapshot = StoreTransaction.Read(folder))
        {
            if (snapshot.TryLoad<LedgerA>(out var last))
            {
                seq = last.Seq;
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"started {seq}"));
        while (true)
        {
            seq++;
            (LedgerA a, LedgerB b, LedgerC c, LedgerD d) = (LedgerA.Make(seq, false), LedgerB.Make(seq, false), LedgerC.Make(seq, false), LedgerD.Make(seq, false));
            if (separate)
            {
                a.Save(folder);
                b.Save(folder);
                c.Save(folder);
                d.Save(folder);
            }
            else
            {
                using StoreTransaction tx = StoreTransaction.Begin(folder);
                tx.Save(a);
                tx.Save(b);
                tx.Save(c);
                tx.Save(d);
                tx.Commit();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {seq}"));
        }
    }

    /// <summary>
    /// For <paramref name="milliseconds"/>, increments counters in transactions: order "ab" touches tally A then B;
    /// order "cba" touches C, then B, then A (the opposite order, and one store more). Prints each acknowledged commit
    /// and, at the end, how many attempts <see cref="StoreTransaction.Run"/> needed beyond one per commit.
    /// </summary>
    public static int PingPong(string folder, string order, int milliseconds)
    {
        var clock = Stopwatch.StartNew();
        long commits = 0, attempts = 0;
        while (clock.ElapsedMilliseconds < milliseconds)
        {
            StoreTransaction.Run(folder, tx =>
            {
                attempts++;
                foreach (char store in order)
                {
                    switch (store)
                    {
                        case 'a':
                            tx.Update<TallyA>(t => t with { N = t.N + 1 }, static () => new TallyA(0));
                            break;
                        case 'b':
                            tx.Update<TallyB>(t => t with { N = t.N + 1 }, static () => new TallyB(0));
                            break;
                        default:
                            tx.Update<TallyC>(t => t with { N = t.N + 1 }, static () => new TallyC(0));
                            break;
                    }
                }
            });
            commits++;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"acked {commits}"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"retries {attempts - commits}"));
        return 0;
    }
}
