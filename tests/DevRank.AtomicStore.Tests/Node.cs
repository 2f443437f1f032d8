using System.Diagnostics;

namespace DevRank.AtomicStore.Tests;

/// <summary>Node itself, the reference for what JavaScript writes (.ci/run installs it as the Debian package nodejs).</summary>
internal static class Node
{
    /// <summary>The node executable on PATH; null where there is none, and under Wine, which cannot start it.</summary>
    public static string? Executable { get; } = Find();

    public static void SkipIfMissing() =>
        Skip.If(Executable is null, "node is not installed here (.ci/run installs the Debian package nodejs)");

    /// <summary>Runs <paramref name="script"/> with <paramref name="args"/>; fails the test unless it exits 0.</summary>
    public static string Run(string script, params string[] args)
    {
        string path = Path.Combine(Path.GetTempPath(), $"devrank-node-{Guid.NewGuid():N}.js");
        File.WriteAllText(path, script);
        try
        {
            var info = new ProcessStartInfo(Executable!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add(path);
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            using Process node = Process.Start(info)!;
            Task<string> stdout = node.StandardOutput.ReadToEndAsync();
            Task<string> stderr = node.StandardError.ReadToEndAsync();
            if (!node.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                node.Kill();
                Assert.Fail("node did not finish in 5 minutes");
            }

            Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {stderr.Result}");
            return stdout.Result;
        }
        finally
        {
            File.Delete(path);
        }
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
