using System.Diagnostics;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Xml.Linq;
using Xunit.Sdk;

namespace DevRank.Windows.Tests;

/// <summary>
/// A small xunit 2 runner for a self-contained win-x64 build under Wine (xunit.runner.utility is not served by our
/// package mirror). It runs every [Fact] and [Theory] row of the public classes in this assembly, one at a time, with
/// xunit's semantics where these tests rely on them: a fresh instance per test, Dispose after it, Skip on the
/// attribute, SkipException (Xunit.SkippableFact) as "skipped". It prints one line per failure and skip, a summary,
/// and writes a TRX file whose counters .ci/run adds to its own.
/// </summary>
/// <remarks>Usage: <c>DevRank.Windows.Tests.exe [--trx FILE] [--filter TEXT] [--verbose]</c>, or <c>child …</c> (<see cref="ChildCommands"/>).</remarks>
internal static class Program
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(2);

    private static int Main(string[] args)
    {
        if (args is ["child", .. var rest])
        {
            return ChildCommands.Run(rest);
        }

        if (!OperatingSystem.IsWindows())
        {
            Console.Error.WriteLine("windows: these tests run on Windows or under Wine (see .ci/run)");
            return 2;
        }

        string? trx = Option(args, "--trx");
        string? filter = Option(args, "--filter");
        bool verbose = args.Contains("--verbose");
        var results = new List<Result>();
        var clock = Stopwatch.StartNew();
        foreach ((Type type, MethodInfo method) in Discover())
        {
            foreach ((string name, object?[] row, string? skip) in Cases(type, method))
            {
                if (filter is not null && !name.Contains(filter, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (verbose)
                {
                    Console.WriteLine($"[Start] {name}");
                }

                Result result = skip is not null ? new Result(name, Outcome.Skipped, skip, TimeSpan.Zero) : Run(name, type, method, row);
                results.Add(result);
                if (result.Outcome != Outcome.Passed)
                {
                    Console.WriteLine($"[{result.Outcome}] {name}: {result.Message}");
                }

                if (result.Outcome == Outcome.TimedOut)
                {
                    // The test's thread cannot be stopped; report what we have and leave.
                    return Finish(results, trx, clock.Elapsed);
                }
            }
        }

        return Finish(results, trx, clock.Elapsed);
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static IEnumerable<(Type, MethodInfo)> Discover() =>
        from type in typeof(Program).Assembly.GetTypes()
        where type.IsPublic || type.IsNestedPublic
        where type is { IsAbstract: false, IsGenericTypeDefinition: false }
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
        where method.GetCustomAttribute<FactAttribute>() is not null
        orderby type.FullName, method.MetadataToken
        select (type, method);

    private static IEnumerable<(string Name, object?[] Row, string? Skip)> Cases(Type type, MethodInfo method)
    {
        string name = $"{type.FullName}.{method.Name}";
        FactAttribute fact = method.GetCustomAttribute<FactAttribute>()!;
        if (fact is not TheoryAttribute)
        {
            yield return (name, [], fact.Skip);
            yield break;
        }

        foreach (DataAttribute data in method.GetCustomAttributes<DataAttribute>())
        {
            foreach (object?[] row in data.GetData(method))
            {
                yield return ($"{name}({string.Join(", ", row.Select(Show))})", row, fact.Skip ?? data.Skip);
            }
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "null",
        string s => '"' + (s.Length > 40 ? s[..40] + "…" : s) + '"',
        byte[] bytes => $"byte[{bytes.Length}]",
        _ => value.ToString() ?? "?",
    };

    private static Result Run(string name, Type type, MethodInfo method, object?[] row)
    {
        var clock = Stopwatch.StartNew();
        var test = Task.Factory.StartNew(() => Invoke(type, method, row), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
        try
        {
            if (!test.Wait(TestTimeout))
            {
                return new Result(name, Outcome.TimedOut, $"still running after {TestTimeout.TotalSeconds:0} s", clock.Elapsed);
            }

            return new Result(name, Outcome.Passed, null, clock.Elapsed);
        }
        catch (AggregateException ex) when (ex.InnerException is { } inner)
        {
            return inner is Xunit.SkipException or Xunit.Sdk.SkipException
                ? new Result(name, Outcome.Skipped, inner.Message, clock.Elapsed)
                : new Result(name, Outcome.Failed, inner.ToString(), clock.Elapsed);
        }
    }

    /// <summary>A test class, given an output helper when its constructor takes one (as xunit would).</summary>
    private static object Create(Type type) =>
        type.GetConstructor([typeof(Xunit.Abstractions.ITestOutputHelper)]) is { } withOutput
            ? withOutput.Invoke([new TestOutput()])
            : Activator.CreateInstance(type)!;

    /// <summary>What a test writes to its output: dropped here, as xunit shows it only for a failing test anyway.</summary>
    private sealed class TestOutput : Xunit.Abstractions.ITestOutputHelper
    {
        public void WriteLine(string message)
        {
        }

        public void WriteLine(string format, params object[] args)
        {
        }
    }

    private static async Task Invoke(Type type, MethodInfo method, object?[] row)
    {
        object? instance = method.IsStatic ? null : Create(type);
        try
        {
            object? returned;
            try
            {
                returned = method.Invoke(instance, row.Length == 0 ? null : row);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }

            if (returned is Task task)
            {
                await task.ConfigureAwait(false);
            }
            else if (returned is ValueTask valueTask)
            {
                await valueTask.ConfigureAwait(false);
            }
        }
        finally
        {
            if (instance is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (instance is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }

    private static int Finish(List<Result> results, string? trx, TimeSpan elapsed)
    {
        int passed = results.Count(r => r.Outcome == Outcome.Passed);
        int failed = results.Count(r => r.Outcome is Outcome.Failed or Outcome.TimedOut);
        int skipped = results.Count(r => r.Outcome == Outcome.Skipped);
        Console.WriteLine($"windows: {passed} passed, {failed} failed, {skipped} skipped in {elapsed.TotalSeconds:0.0} s ({Environment.OSVersion})");
        if (trx is not null)
        {
            WriteTrx(trx, results, passed, failed, skipped);
        }

        // A run in which nothing passed proves nothing, whatever the failure count says.
        int code = failed == 0 && passed > 0 ? 0 : 1;
        Console.Out.Flush();
        // A timed-out test's thread may still be running: leave without waiting for it.
        Environment.Exit(code);
        return code;
    }

    /// <summary>
    /// Test names and messages can hold what XML cannot (a theory's row with U+FFFF or a lone surrogate): written as
    /// <c>\uXXXX</c>, as xunit shows them.
    /// </summary>
    private static string XmlSafe(string text)
    {
        var safe = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(c).Append(text[++i]);
            }
            else if (System.Xml.XmlConvert.IsXmlChar(c))
            {
                safe.Append(c);
            }
            else
            {
                safe.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return safe.ToString();
    }

    /// <summary>Enough of the TRX format for the counters (which .ci/run sums) and a readable result per test.</summary>
    private static void WriteTrx(string path, List<Result> results, int passed, int failed, int skipped)
    {
        XNamespace t = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var document = new XDocument(new XElement(t + "TestRun",
            new XAttribute("id", Guid.NewGuid()),
            new XAttribute("name", "DevRank.Windows.Tests under Wine"),
            new XElement(t + "Results", results.Select(r => new XElement(t + "UnitTestResult",
                new XAttribute("testName", XmlSafe(r.Name)),
                new XAttribute("outcome", r.Outcome switch { Outcome.Passed => "Passed", Outcome.Skipped => "NotExecuted", Outcome.TimedOut => "Timeout", _ => "Failed" }),
                new XAttribute("duration", r.Duration.ToString("c", System.Globalization.CultureInfo.InvariantCulture)),
                r.Message is null ? null : new XElement(t + "Output", new XElement(t + "ErrorInfo", new XElement(t + "Message", XmlSafe(r.Message))))))),
            new XElement(t + "ResultSummary",
                new XAttribute("outcome", failed == 0 ? "Completed" : "Failed"),
                new XElement(t + "Counters",
                    new XAttribute("total", results.Count),
                    new XAttribute("executed", passed + failed),
                    new XAttribute("passed", passed),
                    new XAttribute("failed", failed),
                    new XAttribute("notExecuted", skipped)))));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        document.Save(path);
    }

    private enum Outcome
    {
        Passed,
        Failed,
        Skipped,
        TimedOut,
    }

    private sealed record Result(string Name, Outcome Outcome, string? Message, TimeSpan Duration);
}
