using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>
/// The peer row: npm's write-file-atomic (default options: fsync the temp, rename; no folder fsync) against our
/// AtomicFile, each writing the same 64 KB of bytes N times in sequence into the same folder on the same disk.
/// Rounds alternate between the two so that a noisy neighbour hurts both alike; the median round is reported.
/// Usage: peer [count=1000] [rounds=3]   (needs `npm ci` in benchmarks/peer first; smoke.sh and the doc say how).
/// </summary>
internal static class PeerComparison
{
    public static int Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string peerDir = FindPeerDir();
        string folder = Case.NewFolder();
        try
        {
            byte[] bytes = Case.Create(Size.S2_64KB).Bytes;
            string payload = Path.Combine(folder, "payload.bin");
            File.WriteAllBytes(payload, bytes);
            string ours = Path.Combine(folder, "ours.json");
            string bare = Path.Combine(folder, "bare.json");
            string bareTemp = Path.Combine(folder, ".bare.json.tmp");
            Console.WriteLine($"payload: {bytes.Length:N0} bytes, {count} sequential saves per round, {rounds} rounds, folder {folder}");

            // Warm up: JIT, page cache, the node module cache.
            for (int i = 0; i < 20; i++)
            {
                AtomicFile.WriteAllBytes(ours, bytes);
                BareProtocol.Write(bareTemp, bare, folder, bytes, flushFolder: false);
            }

            var node = new List<double>();
            var nodeSync = new List<double>();
            var ourTimes = new List<double>();
            var bareNoDir = new List<double>();
            for (int round = 0; round < rounds; round++)
            {
                (double asyncMs, double syncMs) = RunNode(peerDir, folder, payload, count);
                node.Add(asyncMs);
                nodeSync.Add(syncMs);

                var clock = Stopwatch.StartNew();
                for (int i = 0; i < count; i++)
                {
                    AtomicFile.WriteAllBytes(ours, bytes);
                }

                ourTimes.Add(clock.Elapsed.TotalMilliseconds);

                clock.Restart();
                for (int i = 0; i < count; i++)
                {
                    BareProtocol.Write(bareTemp, bare, folder, bytes, flushFolder: false);
                }

                bareNoDir.Add(clock.Elapsed.TotalMilliseconds);
                Console.WriteLine($"round {round + 1}: write-file-atomic {node[^1]:F0} ms (sync API {nodeSync[^1]:F0} ms), AtomicFile.WriteAllBytes {ourTimes[^1]:F0} ms, bare protocol without folder fsync {bareNoDir[^1]:F0} ms");
            }

            double n = Median(node), ns = Median(nodeSync), o = Median(ourTimes), b = Median(bareNoDir);
            Console.WriteLine();
            Console.WriteLine($"| writer | what it does | median ms per {count:N0} saves | per save | ratio to write-file-atomic (async) | ratio to write-file-atomic.sync |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|");
            Console.WriteLine($"| npm write-file-atomic 8.0.0, `await writeFileAtomic()` (default options) | realpath, stat, temp, write, fsync, chown, rename; **no folder fsync** | {n:F0} | {n / count:F3} ms | 1.00 | {n / ns:F2} |");
            Console.WriteLine($"| npm write-file-atomic 8.0.0, `writeFileAtomic.sync()` (default options) | the same, synchronously | {ns:F0} | {ns / count:F3} ms | {ns / n:F2} | 1.00 |");
            Console.WriteLine($"| DevRank `AtomicFile.WriteAllBytes` (durable) | resolve link, temp (O_EXCL, flock), mode, write, checked fsync, rename, **folder fsync** | {o:F0} | {o / count:F3} ms | {o / n:F2} | {o / ns:F2} |");
            Console.WriteLine($"| bare protocol without folder fsync (what write-file-atomic promises) | open, write, fsync, close, rename | {b:F0} | {b / count:F3} ms | {b / n:F2} | {b / ns:F2} |");
            return 0;
        }
        finally
        {
            Case.DeleteFolder(folder);
        }
    }

    private static (double AsyncMs, double SyncMs) RunNode(string peerDir, string folder, string payload, int count)
    {
        var start = new ProcessStartInfo("node", [Path.Combine(peerDir, "write-file-atomic.js"), folder, payload, count.ToString(CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
        };
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"node exited with {process.ExitCode}: {output}");
        }

        using var json = JsonDocument.Parse(output);
        return (json.RootElement.GetProperty("ms").GetDouble(), json.RootElement.GetProperty("syncMs").GetDouble());
    }

    private static string FindPeerDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "benchmarks", "peer");
            if (File.Exists(Path.Combine(candidate, "write-file-atomic.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("benchmarks/peer/write-file-atomic.js not found above " + AppContext.BaseDirectory);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
