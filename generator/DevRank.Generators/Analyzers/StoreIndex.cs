using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// The stores declared in one compilation and their file names, built once per compilation on first use. It walks
/// the declared types (not method bodies) and binds attributes only of types that have some.
/// </summary>
internal sealed class StoreIndex
{
    private readonly Dictionary<string, List<Entry>> _byLastSegment = new(StringComparer.OrdinalIgnoreCase);

    private StoreIndex()
    {
    }

    /// <summary>A store and its file name split into segments.</summary>
    public sealed record Entry(INamedTypeSymbol Type, string FileName, string[] Segments);

    public static StoreIndex Build(Compilation compilation, CancellationToken cancellationToken)
    {
        var index = new StoreIndex();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            INamespaceOrTypeSymbol current = pending.Pop();
            if (current is INamespaceSymbol ns)
            {
                foreach (INamespaceOrTypeSymbol member in ns.GetMembers())
                {
                    pending.Push(member);
                }

                continue;
            }

            var type = (INamedTypeSymbol)current;
            foreach (INamedTypeSymbol nested in type.GetTypeMembers())
            {
                pending.Push(nested);
            }

            if (HasAttributeLists(type, cancellationToken)
                && StoreRules.StoreAttribute(type) is { ConstructorArguments: [{ Value: string fileName }] }
                && StoreFileNames.Validate(fileName) is null)
            {
                string[] segments = Split(fileName);
                var entry = new Entry(type, fileName, segments);
                if (!index._byLastSegment.TryGetValue(segments[segments.Length - 1], out List<Entry>? entries))
                {
                    index._byLastSegment[segments[segments.Length - 1]] = entries = [];
                }

                entries.Add(entry);
            }
        }

        foreach (List<Entry> entries in index._byLastSegment.Values)
        {
            entries.Sort(static (a, b) => string.CompareOrdinal(a.Type.ToDisplayString(), b.Type.ToDisplayString()));
        }

        return index;
    }

    /// <summary>Every store with a valid file name.</summary>
    public IEnumerable<Entry> All => _byLastSegment.Values.SelectMany(static entries => entries);

    /// <summary>The other stores whose file is the same as <paramref name="fileName"/> (ignoring case and separator style).</summary>
    public IEnumerable<Entry> SameFile(string fileName, INamedTypeSymbol except)
    {
        string[] segments = Split(fileName);
        if (!_byLastSegment.TryGetValue(segments[segments.Length - 1], out List<Entry>? entries))
        {
            return [];
        }

        return entries.Where(entry =>
            !SymbolEqualityComparer.Default.Equals(entry.Type, except)
            && entry.Segments.SequenceEqual(segments, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The stores whose file lies inside <paramref name="fileName"/> taken as a folder (<c>cache</c> and
    /// <c>cache/index.json</c>), ignoring case and separator style as <see cref="SameFile"/> does.
    /// </summary>
    public IEnumerable<Entry> InsideFolder(string fileName)
    {
        string[] folder = Split(fileName);
        return All.Where(entry => entry.Segments.Length > folder.Length
            && entry.Segments.Take(folder.Length).SequenceEqual(folder, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>
    /// The first store whose file a path ending in <paramref name="tail"/> may be: the last segments agree as far
    /// as both go (<c>snapshot.json</c> and <c>state/snapshot.json</c> agree; <c>other/snapshot.json</c> does not).
    /// </summary>
    public Entry? Match(string[] tail)
    {
        if (tail.Length == 0 || !_byLastSegment.TryGetValue(tail[tail.Length - 1], out List<Entry>? entries))
        {
            return null;
        }

        foreach (Entry entry in entries)
        {
            int common = Math.Min(entry.Segments.Length, tail.Length);
            bool same = true;
            for (int i = 1; i <= common && same; i++)
            {
                same = string.Equals(entry.Segments[entry.Segments.Length - i], tail[tail.Length - i], StringComparison.OrdinalIgnoreCase);
            }

            if (same)
            {
                return entry;
            }
        }

        return null;
    }

    public static string[] Split(string path) => path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);

    private static bool HasAttributeLists(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (SyntaxReference reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is TypeDeclarationSyntax { AttributeLists.Count: > 0 })
            {
                return true;
            }
        }

        return false;
    }
}
