using DevRank.Sample.Commands;
using DevRank.Sample.Job;
using DevRank.Sample.Stores;
using DevRank.Testing;

namespace DevRank.Sample.Tests;

/// <summary>
/// DevRank and DevIndex keep their data in git. A folder that Node wrote with their own formatting code, imported
/// and then saved store by store without a change, must come back byte for byte: an empty diff.
/// </summary>
public sealed class ByteIdenticalTests
{
    /// <summary>
    /// Writes a data folder as DevRank (<c>devrank</c>) or DevIndex (<c>devindex</c>) writes it: each JSON file with
    /// <c>JSON.stringify(v, null, 2)</c>, DevRank's <c>users.json</c> one record per line, DevIndex's
    /// <c>users.jsonl</c> joined by <c>\n</c> without a final one. The values hold what a .NET round trip gets wrong
    /// by default: CJK and emoji (raw UTF-8), CR LF and a control character in a bio, U+2028, <c>null</c> tracker
    /// entries, integer-like keys among logins (JavaScript writes them first), numbers JavaScript spells its own way,
    /// times whose milliseconds end in 0 and one without a fraction.
    /// </summary>
    internal const string WriteFolder = """
        const fs = require('fs'), path = require('path');
        const [dir, generation] = process.argv.slice(1);
        const users = [
          {l: 'torvalds', tc: 9000, fy: 2011, lu: '2026-02-08T14:51:11.630Z', y: [100, 200], cy: [50, 60], n: 'Linus Torvalds', i: 1024025,
           lc: 'Portland, OR', cc: 'us', c: 'Linux Foundation', fl: 200000, o: [['torvalds-org', 1], ['old-org', null]]},
          {l: '李小龙', tc: 4000, lu: '2026-03-29T09:23:20Z', n: '李小龙 🐉', b: '全栈工程师 🚀\r\nオープンソース "quoted" \u0007 bell \u2028 sep',
           'x-new-field': {a: [1, 2.5, 1.5e-7, 1e21]}},
          {l: 'emoji-fan', tc: 12, lu: '2026-02-08T14:51:11.600Z', b: '😀😃😄\ttab <html> & \'single\'', li: 'https://www.linkedin.com/in/emoji'},
          {l: 'minimal', tc: 0},
        ];
        const tracker = {
          'torvalds': '2026-02-08T14:51:11.630Z', '李小龙': '2026-03-29T09:23:20Z', 'emoji-fan': '2026-02-08T14:51:11.600Z',
          'minimal': '2026-02-08T14:51:11.630Z', '12345': null, 'NewUser': null, '678': '2026-01-01T00:00:00.000Z', 'Ünïcödé': null,
        };
        const json = {
          'tracker.json': tracker,
          'visited.json': ['repo:torvalds/linux', 'user:李小龙', 'repo:dotnet/runtime'],
          'blocklist.json': ['spammer', 'dependabot[bot]'],
          'allowlist.json': ['minimal'],
          'threshold.json': {tc: 12},
        };
        if (generation === 'devindex') {
          json['failed.json'] = {'someone': '2026-02-08T14:51:11.630Z', '99': '2026-03-29T09:23:20Z', 'ghost': '2026-03-29T09:23:20.100Z'};
          json['optin-sync.json'] = {lastCheck: '2026-03-29T09:23:20Z'};
          json['optout-sync.json'] = {lastCheck: '2026-02-08T14:51:11.630Z'};
          fs.writeFileSync(path.join(dir, 'users.jsonl'), users.map(u => JSON.stringify(u)).join('\n'));
        } else {
          fs.writeFileSync(path.join(dir, 'users.json'), '[\n' + users.map(u => JSON.stringify(u)).join(',\n') + '\n]');
        }
        for (const [name, value] of Object.entries(json)) {
          fs.writeFileSync(path.join(dir, name), JSON.stringify(value, null, 2));
        }
        """;

    [SkippableTheory]
    [InlineData("devrank", 6)]
    [InlineData("devindex", 9)]
    public void A_folder_node_wrote_is_imported_and_saved_back_byte_for_byte(string generation, int files)
    {
        Node.SkipIfMissing();
        using var from = new TempFolder();
        using var data = new TempFolder();
        Node.Run(WriteFolder, from.Path, generation);
        Assert.Equal(files, Directory.GetFiles(from.Path).Length);
        Assert.Equal(generation == "devindex" ? Generation.DevIndex : Generation.DevRank, Layout.Detect(from.Path));

        List<ImportRow> rows = ImportCommand.Run(from.Path, data.Path);
        Assert.All(rows, r => Assert.True(r.Ok, r.Error?.Message));
        Assert.Equal(files, rows.Count);
        AssertSameBytes(from.Path, data.Path, "after import");

        // Every store loaded and saved without a change, as a maintainer's run that has nothing to do would.
        SaveEveryStoreUnchanged(data.Path);
        AssertSameBytes(from.Path, data.Path, "after an unchanged save of every store");
    }

    [SkippableTheory]
    [InlineData("devrank")]
    [InlineData("devindex")]
    public void The_job_runs_on_either_generation_and_node_reads_what_it_wrote(string generation)
    {
        Node.SkipIfMissing();
        using var data = new TempFolder();
        Node.Run(WriteFolder, data.Path, generation);

        JobResult result = new DevRankJob(new JobOptions { DataDir = data.Path, WorldUsers = 200, MaxUsers = 50, Batch = 20, RepoBatch = 10, Seed = 3 }).Run();

        Assert.True(result.UsersUpdated > 0);
        Assert.Empty(Invariants.Check(data.Path, 50));
        // The layout is kept: a DevIndex folder gets no users.json, a DevRank one no users.jsonl.
        Assert.Equal(generation == "devindex", File.Exists(Path.Combine(data.Path, UsersJsonl.FileName)));
        Assert.Equal(generation == "devrank", File.Exists(Path.Combine(data.Path, Users.FileName)));
        Assert.Equal(result.Users, Layout.UsersOf(Layout.Detect(data.Path)).LoadOrCreate(data.Path).Count);
        Assert.Equal(result.Appends, History.Load(data.Path).Count);

        // Node reads every file the job wrote (the JSON Lines files line by line).
        Node.Run("""
            const fs = require('fs'), path = require('path');
            const [dir] = process.argv.slice(1);
            for (const name of fs.readdirSync(dir).filter(n => !n.startsWith('.'))) { // not the stores' lock files
              const text = fs.readFileSync(path.join(dir, name), 'utf8');
              if (name.endsWith('.jsonl')) text.split('\n').filter(l => l !== '').forEach(l => JSON.parse(l));
              else JSON.parse(text);
            }
            """, data.Path);
    }

    /// <summary>Loads each store of the folder's layout and saves it as it was loaded.</summary>
    internal static void SaveEveryStoreUnchanged(string folder)
    {
        if (Layout.Detect(folder) == Generation.DevIndex)
        {
            UsersJsonl.Load(folder).Save(folder);
            Failed.Load(folder).Save(folder);
            OptInSync.Load(folder).Save(folder);
            OptOutSync.Load(folder).Save(folder);
        }
        else
        {
            Users.Load(folder).Save(folder);
        }

        Tracker.Load(folder).Save(folder);
        Visited.Load(folder).Save(folder);
        Blocklist.Load(folder).Save(folder);
        Allowlist.Load(folder).Save(folder);
        Threshold.Load(folder).Save(folder);
    }

    private static void AssertSameBytes(string expectedFolder, string actualFolder, string when)
    {
        // Every file is compared, so that a failure names all the stores that changed bytes, not the first.
        var differences = new List<string>();
        foreach (string expected in Directory.GetFiles(expectedFolder).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(expected);
            string actual = Path.Combine(actualFolder, name);
            if (!File.Exists(actual))
            {
                differences.Add($"{name} is missing {when}");
                continue;
            }

            byte[] want = File.ReadAllBytes(expected), got = File.ReadAllBytes(actual);
            if (!want.AsSpan().SequenceEqual(got))
            {
                int at = 0;
                while (at < Math.Min(want.Length, got.Length) && want[at] == got[at])
                {
                    at++;
                }

                differences.Add($"{name} differs {when} at byte {at} ({want.Length} bytes from node, {got.Length} saved):\n"
                    + $"node:  {Excerpt(want, at)}\nsaved: {Excerpt(got, at)}");
            }
        }

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    private static string Excerpt(byte[] bytes, int at)
    {
        int start = Math.Max(0, at - 40);
        return System.Text.Encoding.UTF8.GetString(bytes, start, Math.Min(bytes.Length, at + 40) - start).ReplaceLineEndings("⏎");
    }
}
