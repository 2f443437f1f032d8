using System.Diagnostics;

namespace DevRank.Sample.Job;

/// <summary>Counts durable saves, the bytes they wrote and the time they took.</summary>
internal sealed class StoreMeter
{
    private long _saveTicks;

    public int Saves { get; private set; }

    public long BytesWritten { get; private set; }

    public TimeSpan SaveTime => Stopwatch.GetElapsedTime(0, _saveTicks);

    /// <summary>
    /// Runs an <c>Update</c> whose change calls <c>mark</c> as its last step; the time from there until the Update
    /// returns is the durable save alone (serialize, write, fsync, rename, fsync the folder).
    /// </summary>
    public T Update<T>(string path, Func<Action, T> update)
    {
        long changed = 0;
        T result = update(() => changed = Stopwatch.GetTimestamp());
        Record(path, changed);
        return result;
    }

    /// <summary>Runs a plain <c>Save</c>.</summary>
    public void Save(string path, Action save)
    {
        long start = Stopwatch.GetTimestamp();
        save();
        Record(path, start);
    }

    /// <summary>Appends made (JSON Lines: one write and one fsync each, no rename).</summary>
    public int Appends { get; private set; }

    /// <summary>Runs an <c>Append</c>; counts the bytes it added to the file and its time with the saves'.</summary>
    public void Append(string path, Action append)
    {
        long before = File.Exists(path) ? new FileInfo(path).Length : 0;
        long start = Stopwatch.GetTimestamp();
        append();
        _saveTicks += Stopwatch.GetTimestamp() - start;
        Appends++;
        BytesWritten += new FileInfo(path).Length - before;
    }

    private void Record(string path, long start)
    {
        if (start != 0)
        {
            _saveTicks += Stopwatch.GetTimestamp() - start;
        }

        Saves++;
        BytesWritten += new FileInfo(path).Length;
    }
}
