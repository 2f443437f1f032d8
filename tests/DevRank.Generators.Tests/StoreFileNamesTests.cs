namespace DevRank.Generators.Tests;

public sealed class StoreFileNamesTests
{
    [Theory]
    [InlineData("x.json")]
    [InlineData("state/users.json")]
    [InlineData(@"state\users.json")]
    [InlineData(".hidden.json")]
    [InlineData("a b/c d.json")]
    [InlineData("no-extension")]
    [InlineData("console.json")]
    [InlineData("com10.json")]
    [InlineData("a.lock")]
    public void Accepts_relative_names_inside_the_folder(string name) => Assert.Null(StoreFileNames.Validate(name));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/x.json")]
    [InlineData(@"\x.json")]
    [InlineData(@"C:\x.json")]
    [InlineData("c:x.json")]
    [InlineData("../x.json")]
    [InlineData("state/../../x.json")]
    [InlineData("./x.json")]
    [InlineData("state//x.json")]
    [InlineData("state/")]
    [InlineData(@"state\")]
    [InlineData("x.json:stream")]
    [InlineData("what?.json")]
    [InlineData("tab\t.json")]
    [InlineData("a.json.")]
    [InlineData("a.json ")]
    [InlineData("CON")]
    [InlineData("state/com1.json")]
    [InlineData("Lpt9.txt")]
    [InlineData("a.json.bak")]
    [InlineData(".a.json.lock")]
    [InlineData(".a.json.0123456789abcdef.tmp")]
    public void Rejects_names_that_are_empty_rooted_escaping_or_not_portable(string? name)
    {
        string? error = StoreFileNames.Validate(name);
        // A clause that follows "The store file name '...'" in DRS002's message.
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.True(char.IsLower(error[0]) && !error.EndsWith('.'), error);
    }
}
