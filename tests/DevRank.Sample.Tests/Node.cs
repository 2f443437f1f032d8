using System.Diagnostics;

namespace DevRank.Sample.Tests;

/// <summary>Node itself, which writes the folders these tests read: DevRank and DevIndex are Node programs.</summary>
internal static class Node
{
    /// <summary>The node executable on PATH; null where there is none (and on Windows, where the tests do not start it).</summary>
    public static string? Executable { get; } = Find();

    public static void SkipIfMissing() =>
        Skip.If(Executable is null, "node is not installed here, and these tests need Node to write DevRank's own bytes (.ci/run installs the Debian package nodejs)");

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/> (as <c>node -e</c>); fails the test unless it exits 0.</summary>
    public static void Run(string script, params string[] args)
    {
        var info = new ProcessStartInfo(Executable!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-e");
        info.ArgumentList.Add(script);
        // node -e takes the script's own arguments after "--".
        info.ArgumentList.Add("--");
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process node = Process.Start(info)!;
        Task<string> stdout = node.StandardOutput.ReadToEndAsync();
        Task<string> stderr = node.StandardError.ReadToEndAsync();
        if (!node.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            node.Kill();
            Assert.Fail("node did not finish in 2 minutes");
        }

        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {stderr.Result}{stdout.Result}");
    }

    private static string? Find()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(folder, "node");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
