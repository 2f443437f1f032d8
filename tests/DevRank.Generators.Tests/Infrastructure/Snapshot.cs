using System.Text;

namespace DevRank.Generators.Tests.Infrastructure;

/// <summary>
/// A small stand-in for Verify: compares text with <c>Snapshots/&lt;Class&gt;.&lt;Method&gt;#&lt;Name&gt;.verified.cs</c>
/// beside the calling test file. On a mismatch it writes <c>.received.cs</c> next to it and fails with a line diff;
/// with <c>ACCEPT_SNAPSHOTS=1</c> it writes the verified file instead.
/// </summary>
internal static class Snapshot
{
    private static bool Accept => Environment.GetEnvironmentVariable("ACCEPT_SNAPSHOTS") == "1";

    public static void Match(string actual, string className, string methodName, string name, string testFilePath)
    {
        string folder = Path.Combine(Path.GetDirectoryName(testFilePath)!, "Snapshots");
        string stem = Path.Combine(folder, $"{className}.{methodName}#{name}");
        string verifiedPath = stem + ".verified.cs";
        string receivedPath = stem + ".received.cs";
        actual = Normalize(actual);

        string? verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (verified == actual)
        {
            File.Delete(receivedPath);
            return;
        }

        Directory.CreateDirectory(folder);
        if (Accept)
        {
            File.WriteAllText(verifiedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, actual, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        string message = verified is null
            ? $"No snapshot yet: {verifiedPath}.\nReview {receivedPath}, then rename it or run with ACCEPT_SNAPSHOTS=1."
            : $"Snapshot mismatch: {verifiedPath}\n(- verified, + received; run with ACCEPT_SNAPSHOTS=1 to accept)\n{LineDiff.Format(verified, actual)}";
        Assert.Fail(message);
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
