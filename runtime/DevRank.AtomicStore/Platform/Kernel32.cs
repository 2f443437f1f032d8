using System.Runtime.InteropServices;

namespace DevRank.AtomicStore.Platform;

/// <summary>
/// Windows replace: <c>MoveFileExW</c> with REPLACE_EXISTING | WRITE_THROUGH and never COPY_ALLOWED (which is what
/// <c>File.Move</c> passes, turning a cross-volume rename into a non-atomic copy).
/// This path compiles everywhere and runs on Windows; CI runs it under Wine (tests/DevRank.Windows.Tests).
/// </summary>
internal static partial class Kernel32
{
    public const uint MOVEFILE_REPLACE_EXISTING = 0x1;
    public const uint MOVEFILE_WRITE_THROUGH = 0x8;
    public const int ERROR_ACCESS_DENIED = 5;
    public const int ERROR_SHARING_VIOLATION = 32;
    public const int ERROR_LOCK_VIOLATION = 33;
    public const int ERROR_NOT_SAME_DEVICE = 17;

    [LibraryImport("kernel32.dll", EntryPoint = "FlushFileBuffers", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool FlushFileBuffers(Microsoft.Win32.SafeHandles.SafeFileHandle handle);

    [LibraryImport("kernel32.dll", EntryPoint = "CreateHardLinkW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool CreateHardLink(string fileName, string existingFileName, IntPtr securityAttributes);

    [LibraryImport("kernel32.dll", EntryPoint = "MoveFileExW", SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    [return: MarshalAs(UnmanagedType.Bool)]
    public static partial bool MoveFileEx(string existingFileName, string newFileName, uint flags);
}
