using System.Text;

namespace DevRank.Generators;

/// <summary>
/// A small text writer that indents lines and multi-line templates, so the emitter reads like the code it writes.
/// Always writes <c>\n</c>, whatever the OS, so the output is the same everywhere.
/// </summary>
internal sealed class SourceWriter
{
    private const int IndentSize = 4;

    private readonly StringBuilder _builder = new();
    private int _indent;

    /// <summary>Writes one line at the current indentation; an empty line stays empty.</summary>
    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            _builder.Append(' ', _indent * IndentSize).Append(line);
        }

        _builder.Append('\n');
    }

    /// <summary>
    /// Writes a multi-line template (a raw string literal, say), each line at the current indentation, so the emitter
    /// can hold a member's text as it will read. <c>\r\n</c> in the template is written as <c>\n</c>.
    /// </summary>
    public void WriteLines(string text)
    {
        foreach (string line in text.Replace("\r\n", "\n").Split('\n'))
        {
            WriteLine(line);
        }
    }

    /// <summary>Writes <c>{</c> and indents what follows.</summary>
    public void OpenBlock()
    {
        WriteLine("{");
        _indent++;
    }

    /// <summary>Outdents and writes <c>}</c>, plus an optional suffix such as <c>;</c>.</summary>
    public void CloseBlock(string suffix = "")
    {
        _indent--;
        WriteLine("}" + suffix);
    }

    /// <summary>Indents the lines written inside the returned scope, for continuation lines.</summary>
    public IndentScope Indent()
    {
        _indent++;
        return new IndentScope(this);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct IndentScope(SourceWriter writer) : IDisposable
    {
        public void Dispose() => writer._indent--;
    }
}
