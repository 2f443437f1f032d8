using System.Collections;
using System.Text.Json.Serialization;
using DevRank.AtomicStore;

namespace DevRank.Generators.IntegrationTests;

// Stores that lose data on a round trip, on purpose: RoundTripTests shows each DRS02x warning describes a real loss.
// The warnings are suppressed here as a user would, which also checks that #pragma reaches them.
#pragma warning disable DRS020, DRS021, DRS022, DRS023, DRS024, DRS025, DRS026

[AtomicStore("rt-field.json")]
internal sealed partial class FieldBox
{
    public int Count;

    public int Kept { get; set; }
}

[AtomicStore("rt-private-set.json")]
internal sealed partial class PrivateSetter
{
    public int Stars { get; private set; }

    public void Star() => Stars++;
}

[AtomicStore("rt-struct.json", JsonContext = typeof(RoundTripJson))]
internal readonly partial struct Start
{
    public Start(int at) => At = at;

    public int At { get; }
}

[AtomicStore("rt-shelf.json")]
internal sealed partial class Shelf
{
    public List<string> Titles { get; } = [];
}

[AtomicStore("rt-tagged.json")]
internal sealed partial class TaggedList : List<string>
{
    public string Owner { get; set; } = "";

    public TaggedList WithOwner(string owner)
    {
        Owner = owner;
        return this;
    }
}

[AtomicStore("rt-zoo.json")]
internal sealed partial class Zoo
{
    public Animal? Pet { get; set; }
}

internal class Animal
{
    public string Name { get; set; } = "";
}

internal sealed class Dog : Animal
{
    public bool Barks { get; set; }
}

[AtomicStore("rt-undo.json")]
internal sealed partial class Undo
{
    public Stack<int> Steps { get; set; } = new();

    public (int X, int Y) Position { get; set; }

    public Dictionary<string, int> Counts { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

[AtomicStore("rt-window.json")]
internal sealed partial class WindowBox
{
    public Window Window { get; set; } = new();
}

[AtomicStore("rt-payload.json")]
internal sealed partial class PayloadBox
{
    public object? Payload { get; set; }
}

internal sealed class Window : IEnumerable<int>
{
    public IEnumerator<int> GetEnumerator()
    {
        yield return 1;
        yield return 2;
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

#pragma warning restore DRS020, DRS021, DRS022, DRS023, DRS024, DRS025, DRS026

// The same shapes with the fixes the warnings suggest, as the code fixes write them, through a source-generated
// context: no warning, and every value comes back. A context cannot reach a private setter (SYSLIB1038), so with one
// the DRS021 fix makes it internal as well as adding [JsonInclude].

[AtomicStore("rt-fixed.json", JsonContext = typeof(RoundTripJson))]
internal sealed partial class Fixed
{
    [JsonInclude]
    public int Count;

    [JsonInclude]
    public int Stars { get; internal set; }

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public List<string> Titles { get; } = [];

    [JsonObjectCreationHandling(JsonObjectCreationHandling.Populate)]
    public Dictionary<string, int> Counts { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Star() => Stars++;
}

[AtomicStore("rt-fixed-struct.json", JsonContext = typeof(RoundTripJson))]
internal readonly partial struct FixedStart
{
    [JsonConstructor]
    public FixedStart(int at) => At = at;

    public int At { get; }
}

[JsonSerializable(typeof(Fixed))]
[JsonSerializable(typeof(FixedStart))]
[JsonSerializable(typeof(Start))]
internal sealed partial class RoundTripJson : JsonSerializerContext
{
}

#pragma warning disable DRS021, DRS026 // Losses on purpose, as above.

[AtomicStore("rt-unbound.json")]
internal sealed partial class Unbound
{
    public Unbound(string name) => Login = name;

    public string Login { get; }
}

[AtomicStore("rt-unbound-context.json", JsonContext = typeof(RoundTripContextJson))]
internal sealed partial class UnboundWithContext
{
    public UnboundWithContext(string name) => Login = name;

    public string Login { get; }
}

[AtomicStore("rt-shape.json")]
internal sealed partial class Drawing
{
    public IShape? Shape { get; set; }
}

#pragma warning restore DRS021, DRS026

internal interface IShape
{
    int Sides { get; }
}

internal sealed class Square : IShape
{
    public int Sides => 4;

    public int Size { get; set; }
}

[JsonSerializable(typeof(UnboundWithContext))]
internal sealed partial class RoundTripContextJson : JsonSerializerContext
{
}

#pragma warning disable DRS026 // On purpose: RoundTripTests shows the first save of new Release() throws.
[AtomicStore("rt-release.json")]
internal sealed partial class Release
{
    public System.Collections.Immutable.ImmutableArray<string> Assets { get; set; }
}
#pragma warning restore DRS026
