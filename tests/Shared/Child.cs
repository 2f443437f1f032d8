using System.Diagnostics;

namespace DevRank.Testing;

/// <summary>Runs DevRank.TestHost, the tests' child process, directly or under strace.</summary>
public static class Child
{
    public static string HostDll => System.IO.Path.Combine(AppContext.BaseDirectory, "DevRank.TestHost.dll");

    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Starts the host with <paramref name="args"/>; stdout is redirected.</summary>
    public static Process Start(params string[] args) => StartProgram(Dotnet, ["exec", HostDll, .. args]);

    /// <summary>Starts the host with extra environment variables (a .NET setting, say).</summary>
    public static Process StartWith(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        StartProgram(Dotnet, ["exec", HostDll, .. args], environment);

    public static Process StartProgram(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
    }

    /// <summary>Runs the host to completion and returns its exit code and stdout.</summary>
    public static (int ExitCode, string Output) Run(params string[] args) => Complete(Start(args));

    public static (int ExitCode, string Output) Complete(Process process, int timeoutMs = 120_000)
    {
        using (process)
        {
            Task<string> stdout = process.StandardOutput.ReadToEndAsync();
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"child did not finish in {timeoutMs} ms");
            }

            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
    }

    /// <summary>Reads stdout lines until one equals <paramref name="line"/>.</summary>
    public static void WaitForLine(Process process, string line, int timeoutMs = 60_000)
    {
        var read = Task.Run(() =>
        {
            string? current;
            while ((current = process.StandardOutput.ReadLine()) is not null)
            {
                if (current == line)
                {
                    return true;
                }
            }

            return false;
        });
        if (!read.Wait(timeoutMs) || !read.Result)
        {
            throw new InvalidOperationException($"child never printed '{line}'");
        }
    }
}
