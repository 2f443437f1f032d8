using DevRank.Testing;
using Xunit.Abstractions;

namespace DevRank.Reliability.Tests;

/// <summary>
/// Suite 3: simulated power cuts. A loop-mounted ext4 or XFS image gets a save, then <c>xfs_io -x -c shutdown</c>
/// (FS_IOC_SHUTDOWN without a log flush, as xfstests does: whatever is not on disk yet is lost), then a remount.
/// The full protocol must bring back the new content every round. The negative controls (the atomic-only level,
/// and a protocol without the folder fsync written in the test host itself) show the test can tell: they come back
/// old or empty. DEVRANK_POWERCUT_ROUNDS sets the rounds per file system and level (CI: 5).
/// </summary>
public sealed class PowerCutTests(ITestOutputHelper output) : IDisposable
{
    private const int OldSize = 1000;
    private const int NewSize = 65536;
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> FileSystems() => ["xfs", "ext4", "ext4,noauto_da_alloc"];

    [SkippableTheory]
    [MemberData(nameof(FileSystems))]
    public void A_durable_save_survives_a_power_cut_every_time(string fileSystem)
    {
        string? why = Root.WhyUnavailable("xfs_io", "mkfs.xfs", "mkfs.ext4");
        Skip.If(why is not null, why);
        int rounds = Figures.Count("DEVRANK_POWERCUT_ROUNDS", 5);

        Dictionary<string, int> outcomes = Run(fileSystem, rounds);

        output.WriteLine(Figures.Record($"power cut, {fileSystem}", "durable: rounds / new / old / empty / other", Describe(rounds, outcomes)));
        Assert.Equal(rounds, outcomes.GetValueOrDefault("new"));
    }

    [SkippableTheory]
    [MemberData(nameof(FileSystems))]
    public void Without_the_fsyncs_a_power_cut_loses_the_save(string fileSystem)
    {
        string? why = Root.WhyUnavailable("xfs_io", "mkfs.xfs", "mkfs.ext4");
        Skip.If(why is not null, why);
        int rounds = Figures.Count("DEVRANK_POWERCUT_ROUNDS", 5);

        Dictionary<string, int> atomicOnly = Run(fileSystem, rounds, "--atomic-only");
        Dictionary<string, int> noFolderFsync = Run(fileSystem, rounds, "--broken-no-dir-fsync");

        output.WriteLine(Figures.Record($"power cut, {fileSystem}", "atomic-only level: rounds / new / old / empty / other", Describe(rounds, atomicOnly)));
        output.WriteLine(Figures.Record($"power cut, {fileSystem}", "no folder fsync (negative control): rounds / new / old / empty / other", Describe(rounds, noFolderFsync)));
        // Never torn, even without fsyncs: the rename is atomic.
        Assert.Equal(0, atomicOnly.GetValueOrDefault("other"));
        // The controls must lose at least one save, or this suite could not tell a durable save from a lucky one.
        Assert.True(atomicOnly.GetValueOrDefault("new") < rounds, "atomic-only saves all survived: the power cut is not cutting");
        Assert.True(noFolderFsync.GetValueOrDefault("new") < rounds, "saves without the folder fsync all survived: the power cut is not cutting");
    }

    [SkippableTheory]
    [MemberData(nameof(FileSystems))]
    public void A_save_into_new_sub_folders_survives_a_power_cut_every_time(string fileSystem)
    {
        string? why = Root.WhyUnavailable("xfs_io", "mkfs.xfs", "mkfs.ext4");
        Skip.If(why is not null, why);
        int rounds = Figures.Count("DEVRANK_POWERCUT_ROUNDS", 5);
        // The store's own bytes, saved once on the ordinary disk, are what every round must find after the cut.
        string reference = _dir.File("reference");
        Assert.Equal(0, Child.Run("save-shape", reference, "objects").ExitCode);
        byte[] expected = File.ReadAllBytes(Path.Combine(reference, "objects.json"));

        var outcomes = new Dictionary<string, int>();
        var control = new Dictionary<string, int>();
        Mounted(fileSystem, (mount, cut) =>
        {
            for (int round = 0; round < rounds; round++)
            {
                // Two levels that do not exist yet: the save creates both, and each must be flushed into its parent.
                string folder = Path.Combine(mount, $"round-{round}", "store");
                (int code, string said) = Child.Run("save-shape", folder, "objects");
                Assert.True(code == 0, said);
                // The negative control, after the save so that the save's flushes cannot carry it: the same folders
                // and file made the plain way, without a flush.
                string plain = Path.Combine(mount, $"control-{round}", "store");
                Directory.CreateDirectory(plain);
                File.WriteAllBytes(Path.Combine(plain, "objects.json"), expected);

                cut();

                Count(outcomes, folder);
                Count(control, plain);
            }
        });

        const string Columns = "rounds / new / folder missing / file missing / other";
        output.WriteLine(Figures.Record($"power cut, {fileSystem}", "save into new sub-folders: " + Columns, Describe(outcomes)));
        output.WriteLine(Figures.Record($"power cut, {fileSystem}", "new sub-folders without flushes (negative control): " + Columns, Describe(control)));
        Assert.Equal(rounds, outcomes.GetValueOrDefault("new"));
        Assert.True(control.GetValueOrDefault("new") < rounds, "folders made without flushes all survived: the power cut is not cutting");

        void Count(Dictionary<string, int> into, string folder)
        {
            string file = Path.Combine(folder, "objects.json");
            string outcome = !Directory.Exists(folder) ? "folder missing" : !File.Exists(file) ? "file missing"
                : File.ReadAllBytes(file).AsSpan().SequenceEqual(expected) ? "new" : "other";
            into[outcome] = into.GetValueOrDefault(outcome) + 1;
        }

        string Describe(Dictionary<string, int> o) =>
            $"{rounds} / {o.GetValueOrDefault("new")} / {o.GetValueOrDefault("folder missing")} / {o.GetValueOrDefault("file missing")} / {o.GetValueOrDefault("other")}";
    }

    private void Mounted(string fileSystem, Action<string, Action> body) => LoopImage.Mounted(_dir, fileSystem, body);

    private Dictionary<string, int> Run(string fileSystem, int rounds, params string[] level)
    {
        string image = _dir.File("fs.img");
        string mount = _dir.File("mnt");
        Directory.CreateDirectory(mount);
        string[] parts = fileSystem.Split(',', 2);
        string options = parts.Length > 1 ? "loop," + parts[1] : "loop";
        Sh.Must("truncate", "-s", "320M", image);
        Sh.Must(parts[0] == "xfs" ? "mkfs.xfs" : "mkfs.ext4", parts[0] == "xfs" ? ["-q", "-f", image] : ["-q", "-F", image]);

        var outcomes = new Dictionary<string, int>();
        for (int round = 0; round < rounds; round++)
        {
            Sh.Must("mount", "-o", options, image, mount);
            string file = Path.Combine(mount, "users.json");
            bool mounted = true;
            try
            {
                Assert.Equal(0, Child.Run("write", file, OldSize.ToString()).ExitCode);
                (int code, string said) = Child.Run(["write", file, NewSize.ToString(), .. level]);
                Assert.True(code == 0, said);

                // The power cut: the file system stops dead, and what was not on disk is gone.
                Sh.Must("xfs_io", "-x", "-c", "shutdown", mount);
                Sh.Must("umount", mount);
                mounted = false;
                Sh.Must("mount", "-o", options, image, mount);
                mounted = true;

                string outcome = Classify(file);
                outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            }
            finally
            {
                if (mounted)
                {
                    Sh.Run("umount", mount);
                }
            }
        }

        File.Delete(image);
        return outcomes;
    }

    private static string Classify(string file)
    {
        if (!File.Exists(file))
        {
            return "missing";
        }

        byte[] bytes = File.ReadAllBytes(file);
        return bytes.Length switch
        {
            0 => "empty",
            NewSize when Content.IsPattern(bytes) => "new",
            OldSize when Content.IsPattern(bytes) => "old",
            _ => "other",
        };
    }

    private static string Describe(int rounds, Dictionary<string, int> o) =>
        $"{rounds} / {o.GetValueOrDefault("new")} / {o.GetValueOrDefault("old")} / {o.GetValueOrDefault("empty")} / {o.GetValueOrDefault("other") + o.GetValueOrDefault("missing")}";
}
