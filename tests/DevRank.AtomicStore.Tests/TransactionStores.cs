namespace DevRank.AtomicStore.Tests;

/// <summary>Names a <see cref="Cell{TTag}"/> store's file, so that one record type gives as many stores as a test needs.</summary>
public interface ICellName
{
    static abstract string FileName { get; }
}

/// <summary>
/// A store written by hand the way the generator writes one (<see cref="IAtomicStore{TSelf}"/>): what a transaction takes.
/// Each tag is its own store file.
/// </summary>
#pragma warning disable CA1000 // The interface requires static members; one generic type stands for many stores here.
public sealed record Cell<TTag>(long Value, string Body = "") : IAtomicStore<Cell<TTag>>
    where TTag : ICellName
{
    public static FileStore<Cell<TTag>> Store { get; } =
        JsonFileStore.CreateWithReflection<Cell<TTag>>(TTag.FileName, lockTimeout: TimeSpan.FromSeconds(10));

    public static Cell<TTag> Load(string folder) => Store.Load(folder);

    public void Save(string folder) => Store.Save(folder, this);
}
#pragma warning restore CA1000

public sealed class A : ICellName
{
    public static string FileName => "a.json";
}

public sealed class B : ICellName
{
    public static string FileName => "b.json";
}

public sealed class C : ICellName
{
    public static string FileName => "c.json";
}

/// <summary>A store in a sub-folder of the transaction's folder.</summary>
public sealed class D : ICellName
{
    public static string FileName => "state/d.json";
}

/// <summary>Another type whose file is <see cref="A"/>'s.</summary>
public sealed class SameAsA : ICellName
{
    public static string FileName => "a.json";
}
