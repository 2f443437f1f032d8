using System.Runtime.InteropServices;

namespace DevRank.Windows.Tests;

/// <summary>Whether this Windows is Wine: its ntdll exports <c>wine_get_version</c>, which no Windows has.</summary>
internal static class Wine
{
    public static bool IsRunning { get; } =
        NativeLibrary.TryLoad("ntdll.dll", out IntPtr ntdll) && NativeLibrary.TryGetExport(ntdll, "wine_get_version", out _);
}
