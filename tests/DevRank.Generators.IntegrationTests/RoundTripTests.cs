using System.Text.Json;

namespace DevRank.Generators.IntegrationTests;

/// <summary>
/// The losses the round-trip analyzer warns about (DRS020-DRS026), shown on the real disk through the generated
/// members: each test saves, reads the file, loads, and checks what did not come back.
/// </summary>
public sealed class RoundTripTests : IDisposable
{
    private readonly TempFolder _folder = new();

    private string Dir => _folder.Path;

    /// <inheritdoc />
    public void Dispose() => _folder.Dispose();

    /// <summary>DRS020: a public field is not written.</summary>
    [Fact]
    public void DRS020_public_field_is_not_saved()
    {
        new FieldBox { Count = 5, Kept = 6 }.Save(Dir);

        Assert.Equal("""{"Kept":6}""", Text("rt-field.json"));
        Assert.Equal(0, FieldBox.Load(Dir).Count);
    }

    /// <summary>DRS021: a private setter is written but not read.</summary>
    [Fact]
    public void DRS021_private_setter_is_saved_not_loaded()
    {
        var starred = new PrivateSetter();
        starred.Star();
        starred.Save(Dir);

        Assert.Equal("""{"Stars":1}""", Text("rt-private-set.json"));
        Assert.Equal(0, PrivateSetter.Load(Dir).Stars);
    }

    /// <summary>DRS021: a struct is created by its default constructor (here through a source-generated context).</summary>
    [Fact]
    public void DRS021_struct_property_set_by_its_constructor_loads_as_default()
    {
        new Start(7).Save(Dir);

        Assert.Equal("""{"At":7}""", Text("rt-struct.json"));
        Assert.Equal(0, Start.Load(Dir).At);
    }

    /// <summary>DRS022: a get-only collection is written and skipped on load.</summary>
    [Fact]
    public void DRS022_get_only_collection_comes_back_empty()
    {
        var shelf = new Shelf();
        shelf.Titles.Add("Dune");
        shelf.Save(Dir);

        Assert.Equal("""{"Titles":["Dune"]}""", Text("rt-shelf.json"));
        Assert.Empty(Shelf.Load(Dir).Titles);
    }

    /// <summary>DRS023: a collection root is its items alone.</summary>
    [Fact]
    public void DRS023_collection_root_drops_its_own_property()
    {
        new TaggedList { "a/b" }.WithOwner("octocat").Save(Dir);

        Assert.Equal("""["a/b"]""", Text("rt-tagged.json"));
        Assert.Equal("", TaggedList.Load(Dir).Owner);
    }

    /// <summary>DRS024: a derived instance is saved as its declared base type.</summary>
    [Fact]
    public void DRS024_derived_instance_loses_its_members_and_type()
    {
        new Zoo { Pet = new Dog { Name = "Rex", Barks = true } }.Save(Dir);

        Assert.Equal("""{"Pet":{"Name":"Rex"}}""", Text("rt-zoo.json"));
        Assert.IsNotType<Dog>(Zoo.Load(Dir).Pet);
    }

    /// <summary>DRS025: a stack reverses, a tuple is <c>{}</c>, a comparer is lost.</summary>
    [Fact]
    public void DRS025_stack_tuple_and_comparer_change()
    {
        var undo = new Undo { Position = (1, 2) };
        undo.Steps.Push(1);
        undo.Steps.Push(2);
        undo.Steps.Push(3);
        undo.Counts["Octocat"] = 1;
        undo.Save(Dir);

        Assert.Equal("""{"Steps":[3,2,1],"Position":{},"Counts":{"Octocat":1}}""", Text("rt-undo.json"));
        Undo loaded = Undo.Load(Dir);
        Assert.Equal(1, loaded.Steps.Pop());
        Assert.Equal((0, 0), loaded.Position);
        Assert.True(undo.Counts.ContainsKey("octocat"));
        Assert.False(loaded.Counts.ContainsKey("octocat"));
    }

    /// <summary>DRS026: an <c>IEnumerable&lt;T&gt;</c> without Add saves and then cannot load.</summary>
    [Fact]
    public void DRS026_enumerable_without_add_saves_then_throws_on_load()
    {
        new WindowBox().Save(Dir);

        Assert.Equal("""{"Window":[1,2]}""", Text("rt-window.json"));
        Exception thrown = Assert.ThrowsAny<Exception>(() => WindowBox.Load(Dir));
        Assert.Contains(Chain(thrown), static e => e is NotSupportedException);
    }

    /// <summary>DRS026: the value a missing file starts from holds a default that cannot be saved.</summary>
    [Fact]
    public void DRS026_update_of_a_missing_file_starts_from_a_value_that_cannot_be_saved()
    {
        Exception thrown = Assert.ThrowsAny<Exception>(() => Release.Update(Dir, release => { }));

        Assert.Contains(Chain(thrown), static e => e is InvalidOperationException or NullReferenceException);
        Assert.False(File.Exists(Path.Combine(Dir, "rt-release.json")), string.Join(", ", Directory.GetFileSystemEntries(Dir)));
        Assert.Empty(Directory.GetFiles(Dir, "*.tmp"));
    }

    /// <summary>DRS026: an <c>object</c> comes back as a <c>JsonElement</c>.</summary>
    [Fact]
    public void DRS026_object_comes_back_as_a_JsonElement()
    {
        new PayloadBox { Payload = "text" }.Save(Dir);

        object? loaded = PayloadBox.Load(Dir).Payload;
        Assert.IsType<JsonElement>(loaded);
        Assert.Throws<InvalidCastException>(() => (string)loaded!);
    }

    /// <summary>DRS026: a constructor parameter named after no property makes every load throw, by reflection or context.</summary>
    [Fact]
    public void DRS026_unbound_constructor_parameter_saves_then_throws_on_load()
    {
        new Unbound("octocat").Save(Dir);
        new UnboundWithContext("octocat").Save(Dir);

        Assert.Equal("""{"Login":"octocat"}""", Text("rt-unbound.json"));
        Assert.Contains(Chain(Assert.ThrowsAny<Exception>(() => Unbound.Load(Dir))), static e => e is InvalidOperationException);
        Assert.Contains(Chain(Assert.ThrowsAny<Exception>(() => UnboundWithContext.Load(Dir))), static e => e is InvalidOperationException);
    }

    /// <summary>DRS026: an interface member saves its declared members only, and cannot be created on load.</summary>
    [Fact]
    public void DRS026_interface_member_saves_then_throws_on_load()
    {
        new Drawing { Shape = new Square { Size = 3 } }.Save(Dir);

        Assert.Equal("""{"Shape":{"Sides":4}}""", Text("rt-shape.json"));
        Assert.Contains(Chain(Assert.ThrowsAny<Exception>(() => Drawing.Load(Dir))), static e => e is NotSupportedException);
    }

    /// <summary>The suggested fixes, through a source-generated context: everything comes back.</summary>
    [Fact]
    public void Fixed_shapes_round_trip()
    {
        var saved = new Fixed { Count = 5 };
        saved.Star();
        saved.Titles.Add("Dune");
        saved.Counts["Octocat"] = 1;
        saved.Save(Dir);
        new FixedStart(7).Save(Dir);

        Fixed loaded = Fixed.Load(Dir);
        Assert.Equal((5, 1), (loaded.Count, loaded.Stars));
        Assert.Equal(["Dune"], loaded.Titles);
        Assert.Equal(1, loaded.Counts["octocat"]);
        Assert.Equal(7, FixedStart.Load(Dir).At);
    }

    private string Text(string name) => File.ReadAllText(_folder.File(name));

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception;
        }
    }
}
