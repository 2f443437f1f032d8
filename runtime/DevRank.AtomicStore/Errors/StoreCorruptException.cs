namespace DevRank.AtomicStore;

/// <summary>
/// The store file exists but its content is not a valid document of the store's type. The file is left exactly as
/// it is, so it can be inspected or recovered; nothing replaces it with a default.
/// </summary>
public sealed class StoreCorruptException : StoreLoadException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="filePath">The full path of the store file.</param>
    /// <param name="problem">What is wrong with the content.</param>
    /// <param name="lineNumber">Zero-based line of the error, when the JSON reader reported one.</param>
    /// <param name="bytePositionInLine">Zero-based byte offset in that line, when the JSON reader reported one.</param>
    /// <param name="jsonPath">JSON path of the failing value, when the JSON reader reported one.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public StoreCorruptException(string filePath, string problem, long? lineNumber = null, long? bytePositionInLine = null, string? jsonPath = null, Exception? innerException = null)
        : base(filePath, Describe(filePath, problem, lineNumber, bytePositionInLine, jsonPath), innerException)
    {
        Problem = problem;
        LineNumber = lineNumber;
        BytePositionInLine = bytePositionInLine;
        JsonPath = jsonPath;
    }

    /// <summary>What is wrong with the content, without the path.</summary>
    public string Problem { get; }

    /// <summary>Zero-based line of the error, when known.</summary>
    public long? LineNumber { get; }

    /// <summary>Zero-based byte offset of the error in its line, when known.</summary>
    public long? BytePositionInLine { get; }

    /// <summary>JSON path of the value that failed, when known.</summary>
    public string? JsonPath { get; }

    private static string Describe(string filePath, string problem, long? line, long? byteInLine, string? jsonPath)
    {
        // Users read these messages in logs: say where, in the editor's 1-based terms.
        string where = line is { } l
            ? $" (line {l + 1}, byte {byteInLine.GetValueOrDefault() + 1}{(string.IsNullOrEmpty(jsonPath) ? "" : $", at {jsonPath}")})"
            : "";
        return $"The store file '{filePath}' is corrupt: {problem}{where}. The file was left unchanged.";
    }
}
