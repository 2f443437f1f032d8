using System.Globalization;
using System.Text;

namespace DevRank.Generators.Tests.Infrastructure;

/// <summary>A readable line diff (longest common subsequence) with a little context around each change.</summary>
internal static class LineDiff
{
    private const int Context = 2;

    public static string Format(string expected, string actual)
    {
        string[] a = expected.Split('\n');
        string[] b = actual.Split('\n');

        // lengths[i, j] = length of the LCS of a[i..] and b[j..].
        int[,] lengths = new int[a.Length + 1, b.Length + 1];
        for (int i = a.Length - 1; i >= 0; i--)
        {
            for (int j = b.Length - 1; j >= 0; j--)
            {
                lengths[i, j] = a[i] == b[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
            }
        }

        var lines = new List<(char Kind, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', y + 1, a[x]));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lengths[x + 1, y] >= lengths[x, y + 1]))
            {
                lines.Add(('-', x + 1, a[x++]));
            }
            else
            {
                lines.Add(('+', y + 1, b[y++]));
            }
        }

        var output = new StringBuilder();
        int lastPrinted = -1;
        for (int k = 0; k < lines.Count; k++)
        {
            bool nearChange = false;
            for (int n = Math.Max(0, k - Context); n <= Math.Min(lines.Count - 1, k + Context) && !nearChange; n++)
            {
                nearChange = lines[n].Kind != ' ';
            }

            if (!nearChange)
            {
                continue;
            }

            if (lastPrinted >= 0 && k > lastPrinted + 1)
            {
                output.AppendLine("  ...");
            }

            output.AppendLine(CultureInfo.InvariantCulture, $"{lines[k].Kind} {lines[k].Line,4}: {lines[k].Text}");
            lastPrinted = k;
        }

        return output.ToString();
    }
}
