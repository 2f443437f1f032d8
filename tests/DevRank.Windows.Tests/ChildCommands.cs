using DevRank.AtomicStore;
using DevRank.AtomicStore.Tests;

namespace DevRank.Windows.Tests;

/// <summary>What this program does when a test starts it as a second process (<c>child …</c>).</summary>
internal static class ChildCommands
{
    public static int Run(string[] args)
    {
        switch (args)
        {
            case ["hold-lock", string folder]:
                // Takes the store's update lock, says so, and keeps it until killed or until stdin closes.
                var counter = JsonFileStore.CreateWithReflection<JsonFileStoreTests.CounterDoc>("counter.json");
                counter.Update(folder, c =>
                {
                    Console.WriteLine("locked");
                    Console.Out.Flush();
                    _ = Console.In.ReadToEnd();
                    return c;
                }, () => new JsonFileStoreTests.CounterDoc());
                return 0;
            default:
                Console.Error.WriteLine($"unknown child command: {string.Join(' ', args)}");
                return 2;
        }
    }
}
