using System.Diagnostics;

namespace DevRank.Testing;

/// <summary>A running child whose stdout lines are collected as they arrive, so the parent can kill it at any moment and still know what it acknowledged.</summary>
public sealed class LiveChild : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public LiveChild(params string[] args)
        : this(new Dictionary<string, string>(), args)
    {
    }

    /// <summary>A child with extra environment variables (a .NET setting, say).</summary>
    public LiveChild(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        _process = Child.StartWith(environment, args);
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }

                _arrived.Release();
            }
        };
        _process.BeginOutputReadLine();
        _ = _process.StandardError.ReadToEndAsync();
    }

    public string[] Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>Waits for a line that satisfies <paramref name="match"/>; false if the child exits or time runs out first.</summary>
    public bool WaitFor(Func<string, bool> match, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Lines.Any(match))
            {
                return true;
            }

            if (_process.HasExited)
            {
                // Drain what the child printed before it exited, then decide.
                _process.WaitForExit();
                return Lines.Any(match);
            }

            _arrived.Wait(TimeSpan.FromMilliseconds(50));
        }

        return false;
    }

    /// <summary>SIGKILL: no clean-up runs in the child. Returns once it is gone and its output is drained.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }

        _process.WaitForExit();
    }

    public int WaitForExit()
    {
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        _arrived.Dispose();
    }
}
