namespace DevRank.Generators.Model;

/// <summary>
/// What it takes to re-declare one partial type: its keyword and its name. Accessibility and other modifiers are
/// not needed on a partial re-declaration; the user's declaration carries them.
/// </summary>
/// <param name="Keyword"><c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c> or <c>interface</c>.</param>
/// <param name="Name">The name as it must be written in C# (escaped with <c>@</c> where it is a keyword).</param>
internal sealed record TypeDeclarationModel(string Keyword, string Name);
