using System.Diagnostics;
using System.Text.RegularExpressions;

namespace DevRank.Testing;

/// <summary>Runs the child under strace to watch its system calls or make them fail on demand.</summary>
public static partial class Strace
{
    private static readonly Lazy<string?> Unavailable = new(Probe);

    /// <summary>Null when strace can trace here; else why not (the tests skip and say so).</summary>
    public static string? WhyUnavailable => Unavailable.Value;

    /// <summary>Runs the host under strace with <paramref name="straceArgs"/>; returns exit code, stdout and the trace.</summary>
    public static (int ExitCode, string Output, string[] Trace) Run(string[] straceArgs, params string[] hostArgs)
    {
        string traceFile = Path.Combine(Path.GetTempPath(), $"devrank-strace-{Guid.NewGuid():N}.txt");
        try
        {
            (int code, string output) = Child.Complete(Child.StartProgram("strace",
                ["-f", "-y", "-qq", "-o", traceFile, .. straceArgs, Child.Dotnet, "exec", Child.HostDll, .. hostArgs]));
            return (code, output, File.ReadAllLines(traceFile));
        }
        finally
        {
            File.Delete(traceFile);
        }
    }

    /// <summary>The syscall name of a trace line, or null for a resumption or a signal line.</summary>
    public static (string Call, string Args)? Parse(string line)
    {
        Match m = CallLine().Match(line);
        return m.Success ? (m.Groups["call"].Value, m.Groups["args"].Value) : null;
    }

    [GeneratedRegex(@"^(?:\[pid\s+\d+\]\s+|\d+\s+)?(?<call>[a-z_0-9]+)\((?<args>.*)$")]
    private static partial Regex CallLine();

    private static string? Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "strace tests run on Linux only";
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo("strace", ["-o", "/dev/null", "true"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            probe.WaitForExit(30_000);
            return probe.ExitCode == 0 ? null : "strace cannot trace here (ptrace not permitted?): " + probe.StandardError.ReadToEnd();
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "strace is not installed (.ci/run installs it with apt-get)";
        }
    }
}
