using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DevRank.AtomicStore;

namespace DevRank.Benchmarks;

/// <summary>The four payload sizes. Names sort in size order in BenchmarkDotNet's tables.</summary>
public enum Size
{
    /// <summary>~1 KB <see cref="Profile"/>.</summary>
    S1_1KB,

    /// <summary>~64 KB <see cref="Visited"/> (list of strings).</summary>
    S2_64KB,

    /// <summary>~2 MB <see cref="Tracker"/> (40k-entry map).</summary>
    S3_2MB,

    /// <summary>~32 MB <see cref="Users"/> (array of nested records).</summary>
    S4_32MB,
}

/// <summary>
/// One payload with everything the benchmarks do to it. The store calls go through the generated members
/// (<c>value.Save</c>, <c>T.Load</c>, <c>T.Update</c>); the baselines use the very same <see cref="JsonTypeInfo{T}"/>.
/// </summary>
public abstract class Case
{
    public static Case Create(Size size) => size switch
    {
        Size.S1_1KB => new Case<Profile>(Payloads.Profile()),
        Size.S2_64KB => new Case<Visited>(Payloads.Visited()),
        Size.S3_2MB => new Case<Tracker>(Payloads.Tracker()),
        Size.S4_32MB => new Case<Users>(Payloads.Users()),
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };

    /// <summary>Only the sizes in <c>DEVRANK_BENCH_SIZES</c> (comma-separated names), or all of them.</summary>
    public static IEnumerable<Size> Sizes(params Size[] all)
    {
        string? only = Environment.GetEnvironmentVariable("DEVRANK_BENCH_SIZES");
        if (string.IsNullOrWhiteSpace(only))
        {
            return all;
        }

        var wanted = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var chosen = all.Where(s => wanted.Any(w => s.ToString().Contains(w, StringComparison.OrdinalIgnoreCase))).ToArray();
        return chosen.Length > 0 ? chosen : all.Take(1);
    }

    /// <summary>
    /// A fresh folder on the real disk (<c>/var/tmp</c>, not tmpfs, where fsync would be free). Starts with a
    /// <c>sync</c>, so that the write-back of whatever ran before (the benchmark build, the previous benchmark's
    /// hundreds of megabytes of atomic-only saves) is not charged to this benchmark's fsyncs.
    /// </summary>
    public static string NewFolder()
    {
        BareProtocol.Sync();
        string root = Environment.GetEnvironmentVariable("DEVRANK_BENCH_DIR") ?? "/var/tmp/devrank-bench";
        string folder = Path.Combine(root, Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Removes a benchmark's folder and puts what it wrote on disk before the next benchmark starts.</summary>
    public static void DeleteFolder(string folder)
    {
        Directory.Delete(folder, recursive: true);
        BareProtocol.Sync();
    }

    public abstract string FileName { get; }

    public abstract int SerializedLength { get; }

    /// <summary>The serialised payload, for the protocol-only floor and the peer comparison.</summary>
    public abstract byte[] Bytes { get; }

    /// <summary>Ours: the generated instance <c>Save</c> (durable).</summary>
    public abstract void Save(string folder);

    /// <summary>Ours: the generated instance <c>SaveAsync</c> (durable).</summary>
    public abstract Task SaveAsync(string folder);

    /// <summary>Ours at <see cref="Durability.AtomicOnly"/>: the same runtime call a store declared with that option makes.</summary>
    public abstract void SaveAtomicOnly(string folder);

    /// <summary>
    /// <c>JsonStreaming.Serialize</c> into <see cref="Stream.Null"/>: the serializer call inside <c>Save</c>, alone
    /// (the benchmarks' only use of the runtime's internals).
    /// </summary>
    public abstract void SerializeChunkedToNullStream();

    /// <summary>Throws unless the store file in <paramref name="folder"/> holds exactly <see cref="Bytes"/>.</summary>
    public abstract void CheckSavedBytes(string folder);

    /// <summary>Ours: the generated static <c>Load</c>.</summary>
    public abstract object Load(string folder);

    /// <summary>Baseline: <c>JsonSerializer.Deserialize(File.ReadAllBytes(path), typeInfo)</c>.</summary>
    public abstract object ReadAllBytesDeserialize(string path);

    /// <summary>Baseline (a): <c>File.WriteAllText(path, JsonSerializer.Serialize(x))</c>, not atomic.</summary>
    public abstract void WriteAllText(string path);

    /// <summary>Baseline (b): serialise into a temp file, rename, no fsync.</summary>
    public abstract void TempRename(string tempPath, string path);

    /// <summary>Baseline (b) the way it is usually written: <c>File.WriteAllText(temp, Serialize(x))</c> + <c>File.Move</c>.</summary>
    public abstract void TempRenameString(string tempPath, string path);

    /// <summary>The floor's serialisation: <c>JsonSerializer.SerializeToUtf8Bytes</c>.</summary>
    public abstract byte[] SerializeToBytes();

    /// <summary>Streaming serialisation into <see cref="Stream.Null"/>: what serialising alone allocates.</summary>
    public abstract void SerializeToNullStream();
}

public sealed class Case<T> : Case
    where T : class, IAtomicStore<T>
{
    private readonly T _value;
    private readonly JsonFileStore<T> _atomicOnly;

    public Case(T value)
    {
        _value = value;
        Bytes = JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo);
        _atomicOnly = JsonFileStore.Create<T>(
            "atomic-only-" + T.Store.FileName, BenchJson.Default, new AtomicWriteOptions { Durability = Durability.AtomicOnly });
    }

    private static JsonTypeInfo<T> TypeInfo => ((JsonFileStore<T>)T.Store).TypeInfo;

    public override string FileName => T.Store.FileName;

    public override int SerializedLength => Bytes.Length;

    public override byte[] Bytes { get; }

    public T Value => _value;

    public override void Save(string folder) => _value.Save(folder);

    public override Task SaveAsync(string folder) => T.Store.SaveAsync(folder, _value);

    public override void SaveAtomicOnly(string folder) => _atomicOnly.Save(folder, _value);

    public override void SerializeChunkedToNullStream() => JsonStreaming.Serialize(Stream.Null, _value, TypeInfo);

    public override void CheckSavedBytes(string folder)
    {
        // Ours and every baseline must put the same document on disk, or the comparison is meaningless.
        if (!File.ReadAllBytes(Path.Combine(folder, T.Store.FileName)).AsSpan().SequenceEqual(Bytes))
        {
            throw new InvalidOperationException($"{T.Store.FileName}: Save wrote different bytes from JsonSerializer.SerializeToUtf8Bytes.");
        }
    }

    public override object Load(string folder) => T.Load(folder);

    public override object ReadAllBytesDeserialize(string path) => JsonSerializer.Deserialize(File.ReadAllBytes(path), TypeInfo)!;

    public override void WriteAllText(string path) => File.WriteAllText(path, JsonSerializer.Serialize(_value, TypeInfo));

    public override void TempRename(string tempPath, string path) => BareProtocol.TempRenameNoFsync(tempPath, path, _value, TypeInfo);

    public override void TempRenameString(string tempPath, string path)
    {
        File.WriteAllText(tempPath, JsonSerializer.Serialize(_value, TypeInfo));
        File.Move(tempPath, path, overwrite: true);
    }

    public override byte[] SerializeToBytes() => JsonSerializer.SerializeToUtf8Bytes(_value, TypeInfo);

    public override void SerializeToNullStream() => JsonSerializer.Serialize(Stream.Null, _value, TypeInfo);
}
