using Microsoft.Win32.SafeHandles;
using DevRank.AtomicStore.Platform;

namespace DevRank.AtomicStore;

/// <summary>
/// One replace in progress: a temp file beside the target that becomes the target on <see cref="Commit"/>, or
/// disappears on <see cref="Dispose"/>. Every public write of <see cref="AtomicFile"/> is Begin → write → Commit.
/// </summary>
internal sealed class AtomicWrite : IDisposable
{
    private readonly AtomicWriteOptions _options;
    private readonly SafeFileHandle _handle;
    private readonly long _id;
    private Stream? _stream;
    private bool _renamed;
    private bool _kept;

    private AtomicWrite(string target, string tempPath, long id, SafeFileHandle handle, AtomicWriteOptions options)
    {
        Target = target;
        TempPath = tempPath;
        _id = id;
        _handle = handle;
        _options = options;
    }

    /// <summary>The full path being replaced (a symbolic link's final target).</summary>
    public string Target { get; }

    /// <summary>The temp file that holds the new content until the rename.</summary>
    public string TempPath { get; }

    /// <summary>The temp file's handle, for positional writes.</summary>
    public SafeFileHandle Handle => _handle;

    /// <summary>Creates the temp for a write of <paramref name="path"/>.</summary>
    /// <param name="path">The file to replace or create.</param>
    /// <param name="options">Durability and buffering.</param>
    /// <param name="inheritFrom">
    /// The file whose mode and owner the new file takes, when that is not the file being replaced (a copy takes its
    /// source's); null for the file being replaced, if any.
    /// </param>
    /// <param name="tempSuffix">
    /// The temp's suffix: <c>.tmp</c> (null), or <see cref="TempFiles.TransactionSuffix"/> for a transaction's temp,
    /// which a plain sweep never removes.
    /// </param>
    public static AtomicWrite Begin(string path, AtomicWriteOptions? options, Posix.FileStat? inheritFrom = null, string? tempSuffix = null)
    {
        options ??= AtomicWriteOptions.Default;
        string target;
        Posix.FileStat? existing;
        try
        {
            target = TargetPath.Resolve(path, out existing);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AtomicWriteException(Path.GetFullPath(path), AtomicWriteStage.CreateTemp, $"resolving the target failed: {ex.Message}", ex);
        }

        if (existing is { IsRegular: false } && Directory.Exists(target))
        {
            // No rename can put a file over a folder (EISDIR): say so before making a temp, and never give the temp the
            // folder's mode.
            throw new AtomicWriteException(target, AtomicWriteStage.Replace, DurableFolders.FolderInPlaceOf(target), null, Libc.EISDIR);
        }

        existing = inheritFrom ?? existing;
        string directory = Path.GetDirectoryName(target)!;
        SafeFileHandle handle;
        string tempPath;
        long id;
        try
        {
            handle = tempSuffix is null
                ? TempFiles.Create(directory, Path.GetFileName(target), replacesExisting: existing is not null, out tempPath, out id)
                : TempFiles.Create(directory, Path.GetFileName(target), replacesExisting: existing is not null, out tempPath, out id, tempSuffix);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            string reason = DurableFolders.NotAFolderIn(directory) is { } level ? DurableFolders.NotAFolder(level) : ex.Message;
            throw new AtomicWriteException(target, AtomicWriteStage.CreateTemp, $"creating a temp file in '{directory}' failed: {reason}", ex);
        }

        var write = new AtomicWrite(target, tempPath, id, handle, options);
        if (existing is { } file && !OperatingSystem.IsWindows())
        {
            write.TakeOwnerAndMode(file);
        }

        return write;
    }

    /// <summary>
    /// The replacement must not change who owns or may read the file: the temp (created 0600) gets the target's
    /// owner, group and mode (see <see cref="Posix.TakeOwnerAndMode"/>).
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private void TakeOwnerAndMode(Posix.FileStat file)
    {
        try
        {
            Posix.TakeOwnerAndMode(_handle, file, TempPath);
        }
        catch (Exception ex)
        {
            Dispose();
            throw new AtomicWriteException(Target, AtomicWriteStage.CreateTemp, $"giving the temp file the target's owner and mode failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A stream over the temp file for streaming writers. Owned by this write; callers must not keep it.
    /// <paramref name="bufferSize"/> 0 gives the bare positional stream, for writers that buffer themselves.
    /// </summary>
    public Stream OpenStream(int? bufferSize = null) => _stream ??= (bufferSize ?? _options.BufferSize) switch
    {
        0 => new TempFileStream(_handle),
        int size => new FileStream(_handle, FileAccess.Write, size),
    };

    /// <summary>Turns any failure before the rename into the exception callers see; the temp goes with <see cref="Dispose"/>.</summary>
    public Exception Fail(Exception error, AtomicWriteStage stage = AtomicWriteStage.Write) => error switch
    {
        AtomicWriteException => error,
        OperationCanceledException canceled => new OperationCanceledException(
            $"The write of '{Target}' was cancelled; the previous content of the file is unchanged.", canceled, canceled.CancellationToken),
        _ => new AtomicWriteException(Target, stage, $"writing the new content failed: {error.Message}", error),
    };

    /// <summary>
    /// Makes the temp the target: hand buffered bytes to the OS, one checked fsync, rename, fsync the folder.
    /// Returns only when the new content is durable (at <see cref="Durability.Durable"/>).
    /// </summary>
    public void Commit()
    {
        FlushToDisk();
        RenameOverTarget();
        FlushFolder();
    }

    /// <summary>
    /// The first step of <see cref="Commit"/>: the temp's bytes handed to the OS and, when durable, flushed to the
    /// device with one checked fsync. A transaction flushes every temp before it writes its journal.
    /// </summary>
    public void FlushToDisk()
    {
        try
        {
            // Flush(false) only: Flush(true) would run .NET's fsync, whose failure .NET 10 swallows on Unix.
            _stream?.Flush();
        }
        catch (Exception ex)
        {
            throw Fail(ex);
        }

        try
        {
            if (_options.Durability == Durability.Durable)
            {
                DurableIO.FlushFile(_handle, Target);
            }
        }
        catch (Exception ex)
        {
            throw Fail(ex, AtomicWriteStage.FlushToDisk);
        }
    }

    /// <summary>
    /// The second step of <see cref="Commit"/>: the backup (with <see cref="AtomicWriteOptions.KeepBackup"/>), then the
    /// rename of the flushed temp over the target, then the temp's handle closed. The folder is not flushed.
    /// </summary>
    public void RenameOverTarget()
    {
        Backups.Swap? backup = null;
        if (_options.KeepBackup)
        {
            try
            {
                // Before the rename, so that a crash in between leaves the old file twice, never the new one alone.
                backup = Backups.KeepPrevious(Target, _id, _options.Durability);
            }
            catch (Exception ex)
            {
                // Always wrapped: the copy fallback's own AtomicWriteException names the .bak, not this target.
                throw new AtomicWriteException(Target, AtomicWriteStage.Backup, $"keeping the previous version as a backup failed: {ex.Message}", ex);
            }
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                // Windows cannot rename a file that is open without FILE_SHARE_DELETE.
                CloseTemp();
            }
            else
            {
                // Keep the temp open, and so locked, through the rename: a sweep never takes a live writer's temp.
                // But downgrade to a shared lock first, because once renamed the temp is the target, and .NET
                // readers take a shared flock on what they open: an exclusive one would fail them.
                DurableIO.DowngradeLock(_handle);
            }

            DurableIO.Replace(TempPath, Target);
            _renamed = true;
        }
        catch (Exception ex)
        {
            // A failed save leaves the backup as it was, too.
            backup?.Undo();
            throw Fail(ex, AtomicWriteStage.Replace);
        }

        backup?.Complete();
        CloseTemp();
    }

    /// <summary>The last step of <see cref="Commit"/>: when durable, the folder flushed so that the rename survives a power cut.</summary>
    public void FlushFolder()
    {
        if (_options.Durability == Durability.Durable)
        {
            int errno = DurableIO.FlushDirectory(Path.GetDirectoryName(Target)!);
            if (errno != 0)
            {
                throw new DurabilityUnknownException(Target, Libc.Describe(errno), errno);
            }
        }
    }

    /// <summary>
    /// Makes <see cref="Dispose"/> close the temp without deleting it: a decided transaction's temp that is not renamed
    /// yet belongs to its journal, and recovery renames it.
    /// </summary>
    public void KeepTemp() => _kept = true;

    /// <summary>Abandons the write unless it was committed (or <see cref="KeepTemp"/> was called): closes and deletes the temp.</summary>
    public void Dispose()
    {
        CloseTemp();
        if (!_renamed && !_kept)
        {
            try
            {
                File.Delete(TempPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done here; the next sweep removes it (no lock holds it any more).
            }
        }
    }

    private void CloseTemp()
    {
        try
        {
            // The stream's own flush has happened in Commit or does not matter (the temp is being discarded).
            _stream?.Dispose();
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            // A failed flush of a temp we are discarding: nothing to save.
        }
        finally
        {
            _handle.Dispose();
        }
    }
}
