using DevRank.Generators.Runtime;
using Microsoft.CodeAnalysis;

namespace DevRank.Generators;

/// <summary>What the generator made of one named argument of <c>[AtomicStore]</c>.</summary>
internal enum OptionRead
{
    /// <summary>An option the generator knows, with a value of the type it expects (its value may still break a rule).</summary>
    Read,

    /// <summary>An option the generator does not know, or a value of another type: DRS012, and no members.</summary>
    Unsupported,
}

/// <summary>
/// The attribute's named arguments, read in one place: the parser builds its model from here and the analyzer asks
/// here which options exist (DRS012), so the two cannot disagree. Adding an option is one case below, one field in
/// <see cref="Model.StoreOptionsModel"/>, one line in the emitter and a row in docs/generator.md; a test reads the
/// attribute by reflection and fails until all of them know it.
/// </summary>
internal sealed class AttributeOptions
{
    public INamedTypeSymbol? JsonContext { get; private set; }

    public bool WriteIndented { get; private set; }

    public Durability Durability { get; private set; } = StoreDefaults.Durability;

    public int LockTimeoutMilliseconds { get; private set; } = StoreDefaults.LockTimeoutMilliseconds;

    public bool KeepBackup { get; private set; }

    public StoreFormat Format { get; private set; }

    public bool FinalNewline { get; private set; } = true;

    public JsonStyle Style { get; private set; }

    public int Indent { get; private set; } = 2;

    /// <summary>Takes one named argument into these options; half-typed values (an error kind) are the caller's to skip.</summary>
    public OptionRead Read(string name, TypedConstant value)
    {
        switch (name)
        {
            case "JsonContext" when value.Kind == TypedConstantKind.Type: JsonContext = value.Value as INamedTypeSymbol; break;
            case "WriteIndented" when value.Value is bool indented: WriteIndented = indented; break;
            case "Durability" when value is { Kind: TypedConstantKind.Enum, Value: int durability }: Durability = (Durability)durability; break;
            case "LockTimeoutMilliseconds" when value is { Kind: TypedConstantKind.Primitive, Value: int milliseconds }: LockTimeoutMilliseconds = milliseconds; break;
            case "KeepBackup" when value.Value is bool keep: KeepBackup = keep; break;
            case "Format" when value is { Kind: TypedConstantKind.Enum, Value: int format }: Format = (StoreFormat)format; break;
            case "FinalNewline" when value.Value is bool finalNewline: FinalNewline = finalNewline; break;
            case "Style" when value is { Kind: TypedConstantKind.Enum, Value: int style }: Style = (JsonStyle)style; break;
            case "Indent" when value is { Kind: TypedConstantKind.Primitive, Value: int indent }: Indent = indent; break;
            default: return OptionRead.Unsupported;
        }

        return OptionRead.Read;
    }

    /// <summary>Whether the generator knows the named argument: an option it reads, with a value of the type it expects.</summary>
    public static bool IsSupported(string name, TypedConstant value) => new AttributeOptions().Read(name, value) == OptionRead.Read;
}
