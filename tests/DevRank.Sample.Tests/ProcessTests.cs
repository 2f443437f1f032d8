using System.Text;
using DevRank.Sample.Job;
using DevRank.Sample.Stores;
using DevRank.Testing;

namespace DevRank.Sample.Tests;

/// <summary>The built executable, as a user or CI runs it: stdout is a pipe, not a terminal.</summary>
public sealed class ProcessTests
{
    private static (int ExitCode, string Output) Sample(params string[] args) =>
        Child.Complete(Child.StartProgram(Child.Dotnet, ["exec", Path.Combine(AppContext.BaseDirectory, "DevRank.Sample.dll"), .. args]), timeoutMs: 180_000);

    [Fact]
    public void The_job_prints_plain_progress_and_the_summary_when_stdout_is_not_a_terminal_and_a_second_run_resumes()
    {
        using var data = new TempFolder();
        (int code, string output) = Sample("--data", data.Path, "--users", "1500", "--max-users", "400");

        Assert.True(code == 0, output);
        Assert.Contains("updater (logins): ", output, StringComparison.Ordinal);
        Assert.Contains("(100%)", output, StringComparison.Ordinal);
        Assert.Contains("durable saves made", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // no cursor movement or colour codes
        Assert.Empty(Invariants.Check(data.Path, 400));

        (int again, string second) = Sample("--data", data.Path, "--users", "1500", "--max-users", "400");
        Assert.True(again == 0, second);
        Assert.Contains("updater (logins): 0 to do", second, StringComparison.Ordinal);
        Assert.Contains("spider (repositories): 0 to do", second, StringComparison.Ordinal);

        (int inspected, string report) = Sample("inspect", "--data", data.Path);
        Assert.True(inspected == 0, report);
        Assert.Contains("400 users", report, StringComparison.Ordinal);
        Assert.Contains("No temp files", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_exits_non_zero_and_names_the_typed_error_of_a_bad_file()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        foreach ((string name, string json) in CommandTests.DevRankFolder)
        {
            File.WriteAllText(from.File(name), json, new UTF8Encoding(false));
        }

        (int ok, string output) = Sample("import", "--from", from.Path, "--data", data.Path);
        Assert.True(ok == 0, output);
        Assert.Equal(4, Users.Load(data.Path).Count);

        File.WriteAllText(from.File("tracker.json"), "{\"a\":");
        (int bad, string rejected) = Sample("import", "--from", from.Path, "--data", data.Path, "--force");
        Assert.Equal(1, bad);
        Assert.Contains("StoreCorruptException", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_and_crash_demo_refuse_a_folder_of_data_without_force_and_change_nothing()
    {
        using var from = new TempFolder();
        using var data = new TempFolder();
        foreach ((string name, string json) in CommandTests.DevRankFolder)
        {
            File.WriteAllText(from.File(name), json, new UTF8Encoding(false));
        }

        new Visited { "repo:mine/only" }.Save(data.Path);
        byte[] before = File.ReadAllBytes(data.File("visited.json"));

        (int import, string importOutput) = Sample("import", "--from", from.Path, "--data", data.Path);
        (int demo, string demoOutput) = Sample("crash-demo", "--kills", "1", "--data", data.Path);

        foreach ((int code, string output) in new[] { (import, importOutput), (demo, demoOutput) })
        {
            Assert.True(code == 2, output);
            Assert.Contains("--force", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }

        Assert.Equal(["visited.json"], Directory.GetFiles(data.Path).Select(Path.GetFileName));
        Assert.Equal(before, File.ReadAllBytes(data.File("visited.json")));
    }

    [Theory]
    [InlineData("the data folder")]
    [InlineData("a parent of the data folder")]
    public void A_data_folder_that_is_a_file_is_a_clear_error_not_a_crash_or_an_empty_start(string which)
    {
        using var dir = new TempFolder();
        string file = dir.File("data");
        File.WriteAllText(file, "not a folder");
        string data = which == "the data folder" ? file : Path.Combine(file, "devrank");

        (int code, string output) = Sample("--data", data, "--users", "300", "--max-users", "50");

        Assert.True(code == 3, output); // not 134 (an unhandled exception), and not 0 from an empty start
        string flat = string.Join(' ', output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries)); // the console wraps at 80
        Assert.Contains("StoreLoadException", flat, StringComparison.Ordinal);
        Assert.Contains($"'{file}' is a file, not a folder", flat, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal); // no stack trace
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        (int code, string output) = Sample("run", "--users");
        Assert.Equal(2, code);
        Assert.Contains("--users needs a value", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("devrank")]
    [InlineData("devindex")]
    public void Crash_demo_finds_nothing_corrupt_lost_or_redone(string layout)
    {
        using var data = new TempFolder();
        int kills = Figures.Count("DEVRANK_SAMPLE_KILLS", 10);
        (int code, string output) = Sample("crash-demo", "--kills", kills.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data", data.Path, "--layout", layout);

        Assert.True(code == 0, output);
        Assert.Contains("PASS: 0 corrupt, 0 lost.", output, StringComparison.Ordinal);
        // The appended history is among the acknowledged work the demo checked.
        Assert.Matches(@"of which history\.jsonl appends\s+│\s+[1-9]", output);
        Assert.Equal(layout == "devindex", File.Exists(data.File(Stores.UsersJsonl.FileName)));
        Assert.True(Stores.History.Load(data.Path).Count > 0);
        Assert.Empty(Invariants.Check(data.Path, Commands.CrashDemo.Cap));
        Assert.Equal(0, Tracker.Load(data.Path).Values.Count(v => v is null));
    }
}
