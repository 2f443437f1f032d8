using System.Globalization;

namespace DevRank.Testing;

/// <summary>
/// The numbers a reliability run produces (kills survived, torn files, rounds per outcome…). Each suite reports
/// them to its test output, and when <c>DEVRANK_FIGURES</c> names a file, appends them there as table rows, which is
/// how docs/reliability.md is made.
/// </summary>
public static class Figures
{
    private static readonly object Sync = new();

    public static string Record(string suite, string figure, object value)
    {
        string row = string.Create(CultureInfo.InvariantCulture, $"| {suite} | {figure} | {value} |");
        if (Environment.GetEnvironmentVariable("DEVRANK_FIGURES") is { Length: > 0 } file)
        {
            lock (Sync)
            {
                File.AppendAllText(file, row + Environment.NewLine);
            }
        }

        return row;
    }

    /// <summary>A count from the environment (for long runs), else the CI default.</summary>
    public static int Count(string variable, int ciDefault) =>
        int.TryParse(Environment.GetEnvironmentVariable(variable), NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : ciDefault;
}
