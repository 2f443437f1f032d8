using System.Diagnostics;
using System.Globalization;

namespace DevRank.Benchmarks;

/// <summary>
/// A plain loop over one operation, for profilers (<c>strace -c -f</c>, <c>perf</c>, <c>dotnet-trace</c>), which
/// BenchmarkDotNet's child processes make awkward. Usage: loop &lt;operation&gt; &lt;size&gt; [count=1000].
/// Operations: save, save-atomic, floor, temp-rename, load, read-all-bytes.
/// </summary>
internal static class ProfileLoop
{
    public static int Run(string[] args)
    {
        string op = args[0];
        Size size = Enum.GetValues<Size>().First(s => s.ToString().Contains(args[1], StringComparison.OrdinalIgnoreCase));
        int count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000;
        Case c = Case.Create(size);
        string folder = Case.NewFolder();
        string target = Path.Combine(folder, c.FileName), temp = Path.Combine(folder, "." + c.FileName + ".tmp");
        c.Save(folder);
        Action step = op switch
        {
            "save" => () => c.Save(folder),
            "save-atomic" => () => c.SaveAtomicOnly(folder),
            "floor" => () => BareProtocol.Write(temp, target, folder, c.SerializeToBytes()),
            "temp-rename" => () => c.TempRename(temp, target),
            "load" => () => c.Load(folder),
            "read-all-bytes" => () => c.ReadAllBytesDeserialize(target),
            _ => throw new ArgumentException("unknown operation " + op),
        };
        for (int i = 0; i < Math.Min(count, 20); i++)
        {
            step();
        }

        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            step();
        }

        Console.WriteLine($"{op} {size}: {clock.Elapsed.TotalMilliseconds / count * 1000:F1} us/op over {count}");
        Directory.Delete(folder, recursive: true);
        return 0;
    }
}
