using System.Diagnostics;

namespace DevRank.Testing;

/// <summary>Checks for the privileges and tools that the power-cut and full-disk suites need.</summary>
public static class Root
{
    public static bool IsRoot => OperatingSystem.IsLinux() && Environment.UserName == "root";

    /// <summary>Null when we are root on Linux and every tool is on the PATH; else why the test skips.</summary>
    public static string? WhyUnavailable(params string[] tools)
    {
        if (!IsRoot)
        {
            return "needs root on Linux (mount, loop devices); CI runs as root";
        }

        foreach (string tool in tools)
        {
            if (Sh.Run("sh", "-c", $"command -v {tool}").ExitCode != 0)
            {
                return $"{tool} is not installed (.ci/run installs it)";
            }
        }

        return null;
    }
}

/// <summary>Runs a command to completion and returns its exit code and output.</summary>
public static class Sh
{
    public static (int ExitCode, string Output) Run(string program, params string[] args)
    {
        using Process process = Child.StartProgram(program, args);
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr);
    }

    /// <summary>Runs a command and throws with its output if it fails.</summary>
    public static string Must(string program, params string[] args)
    {
        (int code, string output) = Run(program, args);
        return code == 0 ? output : throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({code}): {output}");
    }
}
