using System.Collections.Concurrent;
using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>Creates store folders so that they, like the files in them, survive a power cut.</summary>
/// <remarks>
/// A folder exists before its entry is durable: between the creating thread's <c>mkdir</c> and its flush of the
/// parent, another thread of this process can find the folder and save into it. So every level being created is
/// registered here before its <c>mkdir</c> and removed once flushed, and a save that found its folder waits, after
/// writing, for any registered level of its path (<see cref="AwaitCreations"/>). Registration before <c>mkdir</c>
/// and the lookup after the save's own use of the folder mean a save can miss only a creation that had already
/// finished. Folders made by other processes are not covered: like any existing folder, they are taken as they are.
/// </remarks>
internal static class DurableFolders
{
    // Level being created → the creation that makes its entry durable; and how many creations are in flight, so that
    // a save checks one int in steady state (ConcurrentDictionary.IsEmpty takes every lock when it finds nothing).
    private static readonly ConcurrentDictionary<string, Task> Creating = new(StringComparer.Ordinal);
    private static int s_inFlight;

    /// <summary>Creates <paramref name="folder"/> and its missing parents, each flushed into its parent when durable.</summary>
    /// <exception cref="FolderException">A level is not a folder, or creating or flushing one failed.</exception>
    public static void Create(string folder, Durability durability)
    {
        // Remember which levels are new: each new entry must be flushed in its parent for the path to be durable.
        var created = new Stack<string>();
        for (string? level = folder; level is not null && !Directory.Exists(level); level = Path.GetDirectoryName(level))
        {
            if (Exists(level))
            {
                // A file (or a link to one, or a dangling link) where a folder must be: an error, never "create it".
                throw new FolderException(NotAFolder(level), null);
            }

            created.Push(level);
        }

        if (durability != Durability.Durable)
        {
            CreateAndFlush(folder, []);
            return;
        }

        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Levels another thread is creating right now are theirs to flush; AwaitCreations waits for them.
        Interlocked.Increment(ref s_inFlight);
        List<string> mine = [.. created.Where(level => Creating.TryAdd(level, done.Task))];
        try
        {
            CreateAndFlush(folder, mine);
            done.SetResult();
        }
        catch (Exception ex)
        {
            done.SetException(ex);
            _ = done.Task.Exception; // observed: the waiters, if any, rethrow it
            throw;
        }
        finally
        {
            foreach (string level in mine)
            {
                Creating.TryRemove(level, out _);
            }

            Interlocked.Decrement(ref s_inFlight);
        }

        AwaitCreations(folder);
    }

    /// <summary>
    /// Returns once no level of <paramref name="folder"/> is still being created by another thread of this process;
    /// call it after using the folder, so that a save never returns before its path is durable.
    /// </summary>
    /// <exception cref="FolderException">That creation failed to flush the folder into its parent.</exception>
    public static void AwaitCreations(string folder)
    {
        if (Volatile.Read(ref s_inFlight) == 0)
        {
            return;
        }

        for (string? level = folder; level is not null; level = Path.GetDirectoryName(level))
        {
            if (Creating.TryGetValue(level, out Task? creation))
            {
                try
                {
                    creation.GetAwaiter().GetResult();
                }
                catch (FolderException ex)
                {
                    throw new FolderException($"{ex.Message} (by another save of this process)", ex.InnerException, ex.NativeErrorCode);
                }
            }
        }
    }

    private static void CreateAndFlush(string folder, List<string> levels)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FolderException(NotAFolderIn(folder) is { } level ? NotAFolder(level) : $"creating the folder '{folder}' failed: {ex.Message}", ex);
        }

        foreach (string level in levels)
        {
            string parent = Path.GetDirectoryName(level)!;
            int errno = DurableIO.FlushDirectory(parent);
            if (errno != 0)
            {
                // Before any temp exists: the save stops here, so that a save that throws has written nothing. Not
                // retried (a second, successful fsync could hide what the first one lost), and not carried on with,
                // which would put content in place under a path that may not survive a power cut.
                throw new FolderException(
                    $"the folder '{level}' was created, but flushing its parent '{parent}' failed ({Libc.Describe(errno)}), so the folder is not known to survive a power cut",
                    null,
                    errno);
            }
        }
    }

    /// <summary>
    /// The nearest level of <paramref name="folder"/> (itself or a parent) that exists but is not a folder, or null.
    /// Costs one stat when the folder exists; meant for the error paths of "could not find a part of the path".
    /// </summary>
    public static string? NotAFolderIn(string folder)
    {
        for (string? level = folder; level is not null; level = Path.GetDirectoryName(level))
        {
            if (Directory.Exists(level))
            {
                return null;
            }

            if (Exists(level))
            {
                return level;
            }
        }

        return null;
    }

    /// <summary>
    /// The converse of <see cref="NotAFolder"/>: a folder stands where a file must be written (another store's
    /// folder, such as <c>cache/</c> of <c>cache/index.json</c> where the store <c>cache</c> saves).
    /// </summary>
    public static string FolderInPlaceOf(string file) =>
        $"'{file}' is a folder, and a file cannot replace it (another store's folder, such as 'cache/' of 'cache/index.json' beside a store 'cache'?); nothing was written and the folder was left as it is.";

    /// <summary>What is wrong with <paramref name="level"/>, which exists but is not a folder.</summary>
    public static string NotAFolder(string level) => new FileInfo(level).LinkTarget switch
    {
        // A dangling link usually means a data volume is missing: say so, it is never "no store yet". (File.Exists is
        // true for a dangling link: ask about the final target.)
        { } link when !TargetExists(level) => $"'{level}' is a symbolic link to '{link}', which does not exist",
        { } link => $"'{level}' is a symbolic link to '{link}', which is not a folder",
        null when File.Exists(level) => $"'{level}' is a file, not a folder",
        null => $"'{level}' is not a folder",
    };

    private static bool TargetExists(string link)
    {
        try
        {
            return File.ResolveLinkTarget(link, returnFinalTarget: true) is { Exists: true };
        }
        catch (IOException)
        {
            return false; // a loop of links, say: there is no target to describe
        }
    }

    // lstat: anything at all under this name, a dangling link included (FileSystemInfo reports a missing name as -1).
    private static bool Exists(string path) => (int)new FileInfo(path).Attributes != -1;
}

/// <summary>A store folder could not be created; the store turns it into the typed error of the operation.</summary>
/// <remarks>The message says what went wrong and names the folder, without a full stop, for the caller's sentence.</remarks>
internal sealed class FolderException(string reason, Exception? inner, int nativeErrorCode = 0) : Exception(reason, inner)
{
    /// <summary>The errno of a failed flush of a new folder's parent; 0 for a path problem.</summary>
    public int NativeErrorCode { get; } = nativeErrorCode;
}
