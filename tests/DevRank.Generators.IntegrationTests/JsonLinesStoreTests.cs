using System.Text;
using DevRank.AtomicStore;

namespace DevRank.Generators.IntegrationTests;

/// <summary>JSON Lines stores through their generated members, on the real disk.</summary>
public sealed class JsonLinesStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();

    /// <summary>A JSON Lines store through its generated members: appends, streamed reads, a save that compacts.</summary>
    [Fact]
    public async Task Json_Lines_store_appends_reads_and_compacts()
    {
        Runs.Append(Dir, new Run(1, "first"));
        Runs.Append(Dir, [new Run(2, "b"), new Run(3, "c")]);
        await Runs.AppendAsync(Dir, new Run(4, "d"));
        await Runs.AppendAsync(Dir, [new Run(5, "e")]);

        Assert.Equal([1, 2, 3, 4, 5], Runs.Read(Dir).Select(r => r.Batch));
        var read = new List<int>();
        await foreach (Run run in Runs.ReadAsync(Dir))
        {
            read.Add(run.Batch);
        }

        Assert.Equal([1, 2, 3, 4, 5], read);
        Assert.Equal(5, Runs.Load(Dir).Count);
        Assert.Equal(5, File.ReadAllText(_folder.File("runs/history.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Runs.Update(Dir, runs => runs.RemoveAll(r => r.Batch < 5));
        Assert.Equal("""{"Batch":5,"Note":"e"}""" + "\n", File.ReadAllText(_folder.File("runs/history.jsonl")));
        Assert.IsType<JsonLinesFileStore<Runs, Run>>(Runs.Store);
        Assert.Same(Runs.Store, GenericStore<Runs>());
    }

    /// <summary>Options of a JSON Lines store reach the runtime: JavaScript's bytes, no final newline.</summary>
    [Fact]
    public void Json_Lines_store_options_reach_the_runtime()
    {
#pragma warning disable IL2026, IL3050 // reflection store on purpose
        Names.Append(Dir, "zoë");
        Names.Append(Dir, "张");
        Assert.Equal("\"zoë\"\n\"张\"", File.ReadAllText(_folder.File("names.ndjson"), Encoding.UTF8));
        Assert.False(Names.Store.FinalNewline);
        Assert.Equal(JsonStyle.JavaScript, Names.Store.Style);
#pragma warning restore IL2026, IL3050
    }

    private static FileStore<T> GenericStore<T>()
        where T : IAtomicStore<T> => T.Store;
}
