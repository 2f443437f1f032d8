using System.Diagnostics;
using System.Globalization;
using System.Text;
using DevRank.Testing;

namespace DevRank.AtomicStore.Tests;

/// <summary>
/// A commit that a crash interrupted, made by hand exactly as a commit leaves it (flushed temps, then the journal):
/// whoever comes next finishes it, reports it, and refuses a journal that is damaged, planted or points anywhere else.
/// The crashes themselves are in DevRank.Reliability.Tests (TransactionCrashTests).
/// </summary>
public sealed class TransactionRecoveryTests : IDisposable
{
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Folder => _dir.Path;

    private string Journal => Path.Combine(Folder, ".devrank-commit.journal");

    private static readonly string[] OpenerNames = ["begin", "save", "save-async", "update", "update-async", "read", "recover"];

    public static TheoryData<string> Openers() => [.. OpenerNames];

    [Theory]
    [MemberData(nameof(Openers))]
    public async Task Whoever_comes_next_rolls_an_interrupted_commit_forward_and_reports_it(string opener)
    {
        SaveAll(1);
        // Crashed after its journal and after renaming the first of its three stores.
        Interrupted(2, renamed: 1);
        var reports = new List<StoreRecovery>();
        void OnRecovered(object? sender, StoreRecovery recovery)
        {
            if (recovery.Folder == Path.GetFullPath(Folder))
            {
                lock (reports)
                {
                    reports.Add(recovery);
                }
            }
        }

        StoreTransaction.Recovered += OnRecovered;
        try
        {
            await Open(opener);
        }
        finally
        {
            StoreTransaction.Recovered -= OnRecovered;
        }

        Assert.False(File.Exists(Journal));
        Assert.Equal(2, Cell<A>.Load(Folder).Value);
        Assert.Equal(2, Cell<B>.Load(Folder).Value);
        Assert.Equal(2, Cell<D>.Load(Folder).Value);
        // C was not part of the commit: it is as it was, unless the opener itself wrote it.
        Assert.Equal(opener is "save" or "save-async" or "update" or "update-async" ? 7 : 1, Cell<C>.Load(Folder).Value);
        StoreRecovery report = Assert.Single(reports);
        Assert.Equal([Cell<B>.Store.GetPath(Folder), Cell<D>.Store.GetPath(Folder)], report.RolledForward);
        Assert.Equal([Cell<A>.Store.GetPath(Folder)], report.AlreadyInPlace);
        Assert.Equal(Journal, report.JournalPath);
        Assert.Contains("rolled forward", report.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Folder, "*.txn", SearchOption.AllDirectories));
    }

    [Fact]
    public void Recover_returns_what_it_did_and_then_nothing()
    {
        SaveAll(1);
        Interrupted(2, renamed: 0);

        StoreRecovery? first = StoreTransaction.Recover(Folder);
        StoreRecovery? second = StoreTransaction.Recover(Folder);

        Assert.NotNull(first);
        Assert.Equal(3, first.RolledForward.Count);
        Assert.Null(second);
        Assert.Equal([2, 2, 1, 2], Values());
    }

    [Fact]
    public void Temps_of_a_commit_that_never_wrote_its_journal_are_discarded_and_reported()
    {
        SaveAll(1);
        // Died after writing its temps, before its journal: the commit never happened.
        string temp = WriteTemp("a.json", new Cell<A>(2));
        string nested = WriteTemp("state/d.json", new Cell<D>(2));

        StoreRecovery? recovery = StoreTransaction.Recover(Folder);

        Assert.NotNull(recovery);
        Assert.Null(recovery.TransactionId);
        Assert.Equal(new[] { nested, temp }.Order(StringComparer.Ordinal), recovery.Discarded.Order(StringComparer.Ordinal));
        Assert.False(File.Exists(temp));
        Assert.False(File.Exists(nested));
        Assert.Equal([1, 1, 1, 1], Values());
    }

    [Fact]
    public void A_transactions_first_touch_of_a_store_discards_its_dead_temps()
    {
        SaveAll(1);
        string temp = WriteTemp("b.json", new Cell<B>(2));

        using (StoreTransaction tx = StoreTransaction.Begin(Folder))
        {
            tx.Load<Cell<B>>();
        }

        Assert.False(File.Exists(temp));
        Assert.Equal(1, Cell<B>.Load(Folder).Value);
    }

    [Fact]
    public void A_plain_save_never_deletes_a_transaction_temp()
    {
        // Only code that has looked for a journal under the lock may: after a crash the temp may be a commit's.
        string temp = WriteTemp("a.json", new Cell<A>(2));

        new Cell<A>(3).Save(Folder);
        Assert.Equal(0, Cell<A>.Store.SweepStaleTemps(Folder));

        Assert.True(File.Exists(temp));
    }

    public static TheoryData<string, string> Damage() => new()
    {
        { "checksum", "flip a byte" },
        { "truncated", "cut the last line" },
        { "empty", "no bytes" },
        { "outside", "a target outside the folder" },
        { "not-a-temp", "a temp that is not a transaction temp of its target" },
        { "absolute", "an absolute target" },
        { "newer-version", "version 2" },
    };

    [Theory]
    [MemberData(nameof(Damage))]
    public async Task A_damaged_journal_is_a_typed_error_naming_it_and_nothing_is_renamed(string kind, string what)
    {
        _ = what;
        SaveAll(1);
        string temp = WriteTemp("a.json", new Cell<A>(2));
        byte[] bytes = DamagedJournal(kind, Path.GetFileName(temp));
        File.WriteAllBytes(Journal, bytes);
        if (!OperatingSystem.IsWindows())
        {
            // As a commit makes it: only its owner may write it (else it would not be trusted, which is another test).
            File.SetUnixFileMode(Journal, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Dictionary<string, byte[]> before = Files();

        foreach (string opener in OpenerNames)
        {
            StoreJournalException error = await Assert.ThrowsAsync<StoreJournalException>(() => Open(opener));
            Assert.Equal(Journal, error.FilePath);
            Assert.Contains(Journal, error.Message, StringComparison.Ordinal);
        }

        Assert.Equal(before, Files());
        Assert.Equal(bytes, File.ReadAllBytes(Journal));
        Assert.True(File.Exists(temp));
    }

    [SkippableFact]
    public async Task A_link_planted_as_the_journal_is_never_followed()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        SaveAll(1);
        Interrupted(2, renamed: 0);
        // The real record, moved elsewhere, and a link to it planted in its place.
        string elsewhere = _dir.File("elsewhere.journal");
        File.Move(Journal, elsewhere);
        File.CreateSymbolicLink(Journal, elsewhere);

        StoreJournalException error = await Assert.ThrowsAsync<StoreJournalException>(() => Open("update"));

        Assert.Equal(Journal, error.FilePath);
        Assert.Equal([1, 1, 1, 1], Values());
        Assert.True(File.Exists(elsewhere));
    }

    [SkippableFact]
    public async Task A_temp_named_by_the_journal_that_is_a_link_stops_the_recovery_before_any_rename()
    {
        Skip.If(OperatingSystem.IsWindows(), "symbolic links need a privilege on Windows");
        SaveAll(1);
        Interrupted(2, renamed: 0);
        string temp = Directory.GetFiles(Folder, ".b.json.*.txn").Single();
        File.Delete(temp);
        File.CreateSymbolicLink(temp, "/etc/passwd");

        await Assert.ThrowsAsync<StoreJournalException>(() => Open("recover"));

        Assert.Equal([1, 1, 1, 1], Values());
        Assert.True(File.Exists(Journal));
    }

    [SkippableFact]
    public async Task A_journal_another_user_planted_in_a_folder_everyone_may_write_is_not_trusted()
    {
        Skip.If(!Root.IsRoot, "needs root to give the journal to another user");
        File.SetUnixFileMode(Folder, (UnixFileMode)0x1FF); // 0777
        SaveAll(1);
        Interrupted(2, renamed: 0);
        Assert.Equal(0, Sh.Run("chown", "nobody", Journal).ExitCode);

        StoreJournalException error = await Assert.ThrowsAsync<StoreJournalException>(() => Open("save"));

        Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 1, 1, 1], Values());
    }

    [SkippableFact]
    public void A_journal_of_the_folders_own_user_is_recovered_by_root()
    {
        Skip.If(!Root.IsRoot, "needs root to give the folder and journal to another user");
        SaveAll(1);
        Interrupted(2, renamed: 0);
        Assert.Equal(0, Sh.Run("chown", "-R", "nobody", Folder).ExitCode);
        File.SetUnixFileMode(Folder, (UnixFileMode)0x1ED); // 0755: only its owner may write it

        Assert.NotNull(StoreTransaction.Recover(Folder));
        Assert.Equal([2, 2, 1, 2], Values());
    }

    [Fact]
    public void The_journal_record_round_trips_and_any_flipped_byte_is_caught()
    {
        var record = new CommitRecord("0123456789abcdef", [new CommitEntry("a.json", ".a.json.00000000000000aa.txn"), new CommitEntry("state/d.json", ".d.json.00000000000000dd.txn")]);
        byte[] bytes = record.Encode();

        CommitRecord? back = CommitRecord.Decode(bytes, out _);
        Assert.NotNull(back);
        Assert.Equal(record.Entries, back.Entries);
        for (int i = 0; i < bytes.Length; i++)
        {
            byte[] flipped = (byte[])bytes.Clone();
            flipped[i] ^= 0x20;
            Assert.Null(CommitRecord.Decode(flipped, out string problem));
            Assert.NotEmpty(problem);
        }
    }

    private async Task Open(string opener)
    {
        switch (opener)
        {
            case "begin":
                StoreTransaction.Begin(Folder).Dispose();
                break;
            case "save":
                new Cell<C>(7).Save(Folder);
                break;
            case "save-async":
                await Cell<C>.Store.SaveAsync(Folder, new Cell<C>(7));
                break;
            case "update":
                Cell<C>.Store.Update(Folder, c => c with { Value = 7 });
                break;
            case "update-async":
                await Cell<C>.Store.UpdateAsync(Folder, c => c with { Value = 7 });
                break;
            case "read":
                StoreTransaction.Read(Folder).Dispose();
                break;
            case "recover":
                StoreTransaction.Recover(Folder);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(opener));
        }
    }

    /// <summary>
    /// The state a commit of A, B and D to <paramref name="value"/> leaves when killed after its journal and its first
    /// <paramref name="renamed"/> renames: the temps flushed, the record in place.
    /// </summary>
    private void Interrupted(long value, int renamed)
    {
        var entries = new List<CommitEntry>();
        (string Target, string Temp)[] writes =
        [
            ("a.json", WriteTemp("a.json", new Cell<A>(value))),
            ("b.json", WriteTemp("b.json", new Cell<B>(value))),
            ("state/d.json", WriteTemp("state/d.json", new Cell<D>(value))),
        ];
        foreach ((string target, string temp) in writes)
        {
            entries.Add(new CommitEntry(target, Path.GetFileName(temp)));
        }

        CommitJournal.Write(Folder, new CommitRecord("00000000deadbeef", entries));
        foreach ((string target, string temp) in writes.Take(renamed))
        {
            File.Move(temp, Path.Combine(Folder, target), overwrite: true);
        }
    }

    /// <summary>A transaction temp of <paramref name="target"/> holding <paramref name="value"/>, as a commit writes one.</summary>
    private string WriteTemp<T>(string target, T value)
        where T : IAtomicStore<T>
    {
        string path = Path.Combine(Folder, target);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string temp = Path.Combine(Path.GetDirectoryName(path)!, TempFiles.NameFor(Path.GetFileName(path), Random.Shared.NextInt64(), TempFiles.TransactionSuffix));
        File.WriteAllText(temp, System.Text.Json.JsonSerializer.Serialize(value));
        return temp;
    }

    private byte[] DamagedJournal(string kind, string temp)
    {
        string Json(string target, string tempName, int version = 1) => string.Create(CultureInfo.InvariantCulture,
            $$"""{"kind":"DevRank.AtomicStore commit journal","version":{{version}},"id":"0123456789abcdef","entries":[{"target":"{{target}}","temp":"{{tempName}}"}]}""");
        byte[] Signed(string body)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(body);
            string hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes)).ToLowerInvariant();
            return [.. bytes, .. Encoding.ASCII.GetBytes("\nsha256:" + hash + "\n")];
        }

        byte[] good = new CommitRecord("0123456789abcdef", [new CommitEntry("a.json", temp)]).Encode();
        switch (kind)
        {
            case "checksum":
                good[10] ^= 0x01;
                return good;
            case "truncated":
                return good[..^40];
            case "empty":
                return [];
            case "outside":
                return Signed(Json("../a.json", temp));
            case "not-a-temp":
                return Signed(Json("a.json", "b.json"));
            case "absolute":
                return Signed(Json(Path.Combine(Folder, "a.json").Replace('\\', '/'), temp));
            case "newer-version":
                return Signed(Json("a.json", temp, version: 2));
            default:
                throw new ArgumentOutOfRangeException(nameof(kind));
        }
    }

    private void SaveAll(long value)
    {
        new Cell<A>(value).Save(Folder);
        new Cell<B>(value).Save(Folder);
        new Cell<C>(value).Save(Folder);
        new Cell<D>(value).Save(Folder);
    }

    private long[] Values() =>
        [Cell<A>.Load(Folder).Value, Cell<B>.Load(Folder).Value, Cell<C>.Load(Folder).Value, Cell<D>.Load(Folder).Value];

    private Dictionary<string, byte[]> Files() =>
        Directory.GetFiles(Folder, "*.json", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
}
