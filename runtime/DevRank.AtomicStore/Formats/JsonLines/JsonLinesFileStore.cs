using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Win32.SafeHandles;

namespace DevRank.AtomicStore;

/// <summary>
/// A store whose file is JSON Lines: one JSON value per line, UTF-8, <c>'\n'</c> between records. Records can be
/// appended durably without rewriting the file (<see cref="Append(string, TItem)"/>) and streamed one at a time
/// (<see cref="Read(string)"/>); <c>Load</c>, <c>Save</c> and <c>Update</c> are <see cref="FileStore{T}"/>'s and work on
/// the whole collection. Everything but the bytes and the append (path, lock, update, backup, sweep) is the core's.
/// </summary>
/// <remarks>
/// <para><b>Appends</b> are written under the store's lock (across threads and processes; <see cref="FileStore{T}.LockTimeout"/>
/// is how long an append waits for it), so appends never interleave inside a line and never land in a file a save
/// has just replaced. An append returns once its lines are durable (write, then a checked fsync; and the folder's
/// fsync when the append created the file). Concurrent appends of one process share one fsync (group commit). At
/// <see cref="Durability.AtomicOnly"/> an append is written under the lock but not flushed: a power cut may lose
/// it.</para>
/// <para><b>A save is a compaction</b>: it replaces the whole file, atomically, with the collection given, under the
/// same lock (so saves of this store run one at a time, without group commit). Appends acknowledged before it are
/// in the file only if they are in that collection. To combine the file's records with a change, use
/// <c>Update</c>, which holds the lock from the load to the save, so no append falls in between.</para>
/// <para><b>A torn tail</b> (<see cref="JsonLinesTail"/>) is the one thing a read skips: the final line, when it has no
/// <c>'\n'</c> and is not one whole JSON value, which is what a crash in the middle of an append leaves. Loads, updates
/// and reads report it through <see cref="TornTail"/> and go on without it; the next append cuts it off durably
/// before writing (reported the same way, with <see cref="JsonLinesTail.Truncated"/> set); the next save replaces
/// it with the rest of the file. A bad line anywhere else, or a bad last line that ends with <c>'\n'</c>, is a
/// <see cref="StoreCorruptException"/> naming the line, and nothing is skipped or changed. A last line without
/// <c>'\n'</c> that is one whole value is a record (files written with <c>finalNewline: false</c>, and by tools that
/// end them so); an append then writes the missing <c>'\n'</c> first.</para>
/// <para><b>Reading</b>: blank lines (whitespace only) hold no record and are skipped, <c>"\r\n"</c> line endings
/// are read (the <c>'\r'</c> is JSON whitespace), and a UTF-8 byte order mark at the start of the file is skipped;
/// the store itself writes none of these. A record that is JSON <c>null</c>, or a line that is not valid UTF-8, is
/// corrupt. Reads take no lock: one that runs while an append is being written sees that append whole, not at all,
/// or as a torn tail (reported, but not cut: the append completes under the lock). Only a top-level JSON number can
/// look whole while it is still being written (<c>12</c> of <c>123</c>); give such records an object or array shape
/// if reads run alongside appends.</para>
/// </remarks>
/// <typeparam name="T">The collection the whole file loads as and saves from.</typeparam>
/// <typeparam name="TItem">The type of one record (one line).</typeparam>
public sealed class JsonLinesFileStore<T, TItem> : FileStore<T>
    where T : ICollection<TItem>, new()
{
    private readonly ConcurrentDictionary<string, AppendQueue> _appends = new(StringComparer.Ordinal);

    /// <summary>Creates a store that serializes each record with <paramref name="itemTypeInfo"/> (trim- and AOT-safe).</summary>
    /// <param name="fileName">The file's name relative to the store folder; may contain sub-folders, must stay inside it.</param>
    /// <param name="itemTypeInfo">Serialization metadata of one record, usually from a <c>JsonSerializerContext</c>. Its <c>WriteIndented</c> is ignored: a record is always one line.</param>
    /// <param name="writeOptions">Durability of saves and appends; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="lockTimeout">How long updates, saves and appends wait for the store's lock; 30 s when null.</param>
    /// <param name="finalNewline">
    /// Whether a save ends the last record with <c>'\n'</c> (the default), or joins records with <c>'\n'</c> and ends
    /// without one, so that a file that ends so is saved back byte for byte. Appends keep the same shape: with false,
    /// an append writes its <c>'\n'</c> before its record rather than after.
    /// </param>
    /// <param name="style">
    /// Whose bytes each record is: System.Text.Json's (the default), or, for either JavaScript style, exactly what
    /// <c>JSON.stringify(record)</c> writes (the lines of a file Node writes with <c>records.map(r =&gt; JSON.stringify(r))</c>).
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="style"/> is undefined.</exception>
    public JsonLinesFileStore(string fileName, JsonTypeInfo<TItem> itemTypeInfo, AtomicWriteOptions? writeOptions = null, TimeSpan? lockTimeout = null, bool finalNewline = true, JsonStyle style = JsonStyle.SystemTextJson)
        : base(fileName, writeOptions, lockTimeout)
    {
        ArgumentNullException.ThrowIfNull(itemTypeInfo);
        if (!Enum.IsDefined(style))
        {
            throw new ArgumentOutOfRangeException(nameof(style), style, "Not a JsonStyle value.");
        }

        ItemTypeInfo = itemTypeInfo;
        FinalNewline = finalNewline;
        Style = style;
    }

    /// <summary>Whose bytes each record is.</summary>
    public JsonStyle Style { get; }

    /// <summary>
    /// Raised when a load, update or read skips a torn tail (<see cref="JsonLinesTail.Truncated"/> false: the bytes are
    /// still in the file), and when an append cuts one off (true). It is raised on the thread that found it: the
    /// reading thread, after the last record; for a cut, the thread that wrote the append group (possibly another
    /// caller's, or a pool thread for <c>AppendAsync</c>), once the group is durable and the lock released. An
    /// exception from a handler propagates from that call (and is lost on a pool thread): keep handlers to logging.
    /// </summary>
    public event EventHandler<JsonLinesTail>? TornTail;

    /// <summary>The serialization metadata of one record.</summary>
    public JsonTypeInfo<TItem> ItemTypeInfo { get; }

    /// <summary>Whether a save ends the last record with <c>'\n'</c> (and an append its records), or writes <c>'\n'</c> only between records.</summary>
    public bool FinalNewline { get; }

    private protected override bool SavesUnderLock => true;

    /// <summary>Appends one record; returns once it is durable.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="item">The record.</param>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null: no read accepts a JSON <c>null</c> record.</exception>
    /// <exception cref="AtomicWriteException">Nothing was appended: the file could not be opened (a FIFO or folder in its place, a link another user could have planted), written or flushed, or a folder could not be created; see <see cref="AtomicWriteException.Stage"/>.</exception>
    /// <exception cref="DurabilityUnknownException">The record is in a new file whose folder could not be flushed.</exception>
    /// <exception cref="StoreConfigurationException">The record cannot be serialized as one line; nothing was written.</exception>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="FileStore{T}.LockTimeout"/>; nothing was written.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store, whose save would replace the record.</exception>
    public void Append(string folder, TItem item)
    {
        string path = GetPath(folder);
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item), "A JSON Lines store cannot append null: no read accepts a JSON null record. Nothing was written.");
        }

        Append(path, Lines(path, [item], nameof(item)));
    }

    /// <summary>
    /// Appends <paramref name="items"/>, in order, as one write; returns once they are durable. A failure takes them
    /// all back off the file. A crash (or power cut) in the middle can leave the first of them whole: the format has no
    /// commit marker, only the unterminated last line is recognised as torn. No items: nothing happens.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="items">The records, serialized (all of them) before anything is written.</param>
    /// <exception cref="ArgumentException">One of <paramref name="items"/> is null; nothing was written.</exception>
    /// <exception cref="AtomicWriteException">Nothing was appended: the file could not be opened (a FIFO or folder in its place, a link another user could have planted), written or flushed, or a folder could not be created; see <see cref="AtomicWriteException.Stage"/>.</exception>
    /// <exception cref="DurabilityUnknownException">The records are in a new file whose folder could not be flushed.</exception>
    /// <exception cref="StoreConfigurationException">A record cannot be serialized as one line; nothing was written.</exception>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="FileStore{T}.LockTimeout"/>; nothing was written.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store, whose save would replace the records.</exception>
    public void Append(string folder, IEnumerable<TItem> items)
    {
        string path = GetPath(folder);
        ArgumentNullException.ThrowIfNull(items);
        Append(path, Lines(path, items, nameof(items)));
    }

    /// <summary>Appends one record; the task completes once it is durable. Concurrent appends share their fsync.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="item">The record.</param>
    /// <param name="cancellationToken">Observed before the record is queued; once queued the append completes, because it may be part of a write shared with other callers.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="item"/> is null.</exception>
    /// <exception cref="AtomicWriteException">Nothing was appended; see <see cref="Append(string, TItem)"/>.</exception>
    /// <exception cref="DurabilityUnknownException">The record is in a new file whose folder could not be flushed.</exception>
    /// <exception cref="StoreConfigurationException">The record cannot be serialized as one line; nothing was written.</exception>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="FileStore{T}.LockTimeout"/>; nothing was written.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store.</exception>
    public Task AppendAsync(string folder, TItem item, CancellationToken cancellationToken = default)
    {
        string path = GetPath(folder);
        if (item is null)
        {
            throw new ArgumentNullException(nameof(item), "A JSON Lines store cannot append null: no read accepts a JSON null record. Nothing was written.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        return AppendAsync(path, Lines(path, [item], nameof(item)));
    }

    /// <summary>Appends <paramref name="items"/> as one write, like <see cref="Append(string, IEnumerable{TItem})"/>; the task completes once they are durable.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="items">The records, serialized before anything is written.</param>
    /// <param name="cancellationToken">Observed before the records are queued; once queued the append completes.</param>
    /// <returns>A task that completes when the records are durable.</returns>
    /// <exception cref="ArgumentException">One of <paramref name="items"/> is null; nothing was written.</exception>
    /// <exception cref="AtomicWriteException">Nothing was appended; see <see cref="Append(string, IEnumerable{TItem})"/>.</exception>
    /// <exception cref="DurabilityUnknownException">The records are in a new file whose folder could not be flushed.</exception>
    /// <exception cref="StoreConfigurationException">A record cannot be serialized as one line; nothing was written.</exception>
    /// <exception cref="StoreLockTimeoutException">The lock was not free within <see cref="FileStore{T}.LockTimeout"/>; nothing was written.</exception>
    /// <exception cref="LockRecursionException">Called from inside an update of the same store.</exception>
    public Task AppendAsync(string folder, IEnumerable<TItem> items, CancellationToken cancellationToken = default)
    {
        string path = GetPath(folder);
        ArgumentNullException.ThrowIfNull(items);
        cancellationToken.ThrowIfCancellationRequested();
        return AppendAsync(path, Lines(path, items, nameof(items)));
    }

    /// <summary>
    /// Streams the file's records one at a time, without loading the file: memory is one buffer as long as the longest
    /// line. The file is opened when the enumeration starts (each enumeration reads it afresh), and every error is
    /// thrown there, after the records before it have been returned: <see cref="StoreNotFoundException"/>,
    /// <see cref="StoreCorruptException"/> with the line, <see cref="StoreConfigurationException"/>,
    /// <see cref="StoreLoadException"/>. A torn tail is skipped and reported through <see cref="TornTail"/> at the end.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The records, in file order.</returns>
    public IEnumerable<TItem> Read(string folder) => ReadRecords(GetPath(folder));

    /// <summary>Streams the file's records asynchronously; see <see cref="Read(string)"/>.</summary>
    /// <param name="folder">The store folder.</param>
    /// <param name="cancellationToken">Cancels the reads (also when given to <c>WithCancellation</c>).</param>
    /// <returns>The records, in file order.</returns>
    public IAsyncEnumerable<TItem> ReadAsync(string folder, CancellationToken cancellationToken = default) => ReadRecordsAsync(GetPath(folder), cancellationToken);

    /// <summary>
    /// Looks for a torn tail without reading the file: only its last line is read. Takes no lock, changes nothing.
    /// </summary>
    /// <param name="folder">The store folder.</param>
    /// <returns>The torn tail (<see cref="JsonLinesTail.Truncated"/> false), or null when the file ends with a <c>'\n'</c>, a whole record, or does not exist.</returns>
    /// <exception cref="StoreLoadException">The file cannot be opened or read.</exception>
    public JsonLinesTail? FindTornTail(string folder)
    {
        string path = GetPath(folder);
        using SafeFileHandle? handle = StoreFileReader.OpenInFolder(path);
        if (handle is null)
        {
            return null;
        }

        long length = StoreFileReader.Length(handle, path);
        try
        {
            return JsonLinesEnd.Inspect(handle, length, ItemTypeInfo.Options, out long start) == JsonLinesEnd.Kind.Torn
                ? new JsonLinesTail(path, start, length - start, truncated: false)
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw StoreFileReader.Unreadable(path, ex);
        }
    }

    private protected override bool TryRead(string path, out T value)
    {
        using JsonLinesReader<TItem>? reader = JsonLinesReader<TItem>.Open(path, ItemTypeInfo);
        if (reader is null)
        {
            value = default!;
            return false;
        }

        var records = new T();
        while (reader.TryRead(out var item))
        {
            records.Add(item);
        }

        Report(reader.Tail);
        value = records;
        return true;
    }

    private protected override async ValueTask<(bool Found, T Value)> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        using JsonLinesReader<TItem>? reader = JsonLinesReader<TItem>.Open(path, ItemTypeInfo);
        if (reader is null)
        {
            return (false, default!);
        }

        var records = new T();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is (true, var item))
        {
            records.Add(item);
        }

        Report(reader.Tail);
        return (true, records);
    }

    private protected override void Serialize(Stream stream, T value)
    {
        // One record at a time through one buffer (grown to the longest record): the collection is never copied whole.
        using var line = new JsonLineBuffer(ItemTypeInfo.Options, Style);
        bool first = true;
        foreach (TItem item in value)
        {
            if (item is null)
            {
                throw new UnwritableRecordException("The collection holds a null record: no read of a JSON Lines store accepts a JSON null record. Nothing was written.", isNull: true);
            }

            line.Clear();
            line.Add(item, ItemTypeInfo);
            // Records ended by '\n', or (finalNewline false) joined by one: the '\n' goes after or before.
            stream.Write(line.Lines(newlineBefore: !first && !FinalNewline, newlineAfter: FinalNewline));
            first = false;
        }
    }

    private protected override Exception? SaveError(string path, Exception inner) => inner switch
    {
        UnwritableRecordException { IsNull: true } record => NullRecord(record),
        UnwritableRecordException record => Unwritable(path, record),
        _ when JsonConfiguration.IsConfigurationError(inner) => JsonConfiguration.SaveError(path, ItemTypeInfo, inner),
        _ => null,
    };

    // The caller's collection held a null: an ArgumentException naming Save's parameter, "value".
    private static ArgumentException NullRecord(UnwritableRecordException value) => new(value.Message, nameof(value), value);

    private static StoreConfigurationException Unwritable(string path, UnwritableRecordException record) =>
        new(path, typeof(TItem), $"Could not save '{path}': {record.Message}. Nothing was written and the previous content of the file is unchanged.", record);

    /// <summary>Serializes every record before anything is written, so that a record that cannot be written stops the append whole.</summary>
    private JsonLineBuffer Lines(string path, IEnumerable<TItem> items, string parameter)
    {
        var lines = new JsonLineBuffer(ItemTypeInfo.Options, Style);
        bool serialized = false;
        try
        {
            foreach (TItem item in items)
            {
                if (item is null)
                {
                    throw new ArgumentException($"Record {lines.Count} is null: no read of a JSON Lines store accepts a JSON null record. Nothing was written.", parameter);
                }

                lines.Add(item, ItemTypeInfo);
            }

            serialized = true;
            return lines;
        }
        catch (UnwritableRecordException record)
        {
            throw Unwritable(path, record);
        }
        catch (Exception ex) when (JsonConfiguration.IsConfigurationError(ex))
        {
            throw JsonConfiguration.SaveError(path, ItemTypeInfo, ex);
        }
        catch (Exception ex) when (ex is not (ArgumentException or OperationCanceledException))
        {
            // A converter's own failure: as for a save, an error of this store that says nothing was written.
            throw new AtomicWriteException(path, AtomicWriteStage.Write, $"serializing a record failed: {ex.Message}; nothing was appended.", ex);
        }
        finally
        {
            if (!serialized)
            {
                lines.Dispose();
            }
        }
    }

    private void Append(string path, JsonLineBuffer lines)
    {
        using (lines)
        {
            if (lines.Count > 0)
            {
                QueueFor(path).Append(lines);
            }
        }
    }

    private async Task AppendAsync(string path, JsonLineBuffer lines)
    {
        using (lines)
        {
            if (lines.Count > 0)
            {
                await QueueFor(path).AppendAsync(lines).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The append queue of <paramref name="path"/>, once this caller may join it: the folder exists and this thread is not inside an update of the file.</summary>
    private AppendQueue QueueFor(string path)
    {
        if (StoreLock.IsHeldByThisThread(path))
        {
            // The group's writer would wait for this thread's lock while this thread waits for the group.
            throw new LockRecursionException(
                $"The lock of '{path}' is held by this thread: an append was called from inside an Update (or RestoreBackup, Quarantine) of the same store, and the update's save would replace the file without it. Return the new collection from the change instead.");
        }

        // The lock file lives in the folder; an append into a new folder creates it durably, as a save does.
        EnsureFolder(path, forUpdate: false);
        return _appends.GetOrAdd(path, p => new AppendQueue(group => WriteGroup(p, group), Report));
    }

    private JsonLinesTail? WriteGroup(string path, IReadOnlyList<JsonLineBuffer> group)
    {
        using StoreLock held = LockForWrite(path);
        return JsonLinesAppend.Write(path, group, FinalNewline, WriteOptions.Durability, ItemTypeInfo.Options);
    }

    private void Report(JsonLinesTail? tail)
    {
        if (tail is not null)
        {
            TornTail?.Invoke(this, tail);
        }
    }

    private IEnumerable<TItem> ReadRecords(string path)
    {
        using JsonLinesReader<TItem> reader = JsonLinesReader<TItem>.Open(path, ItemTypeInfo) ?? throw new StoreNotFoundException(path);
        while (reader.TryRead(out var item))
        {
            yield return item;
        }

        Report(reader.Tail);
    }

    private async IAsyncEnumerable<TItem> ReadRecordsAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using JsonLinesReader<TItem> reader = JsonLinesReader<TItem>.Open(path, ItemTypeInfo) ?? throw new StoreNotFoundException(path);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is (true, var item))
        {
            yield return item;
        }

        Report(reader.Tail);
    }
}
