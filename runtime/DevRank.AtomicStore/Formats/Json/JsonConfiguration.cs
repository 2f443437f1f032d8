using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>
/// Tells what System.Text.Json raises about the store's type or its metadata (a configuration error) from what it
/// raises about the bytes (corrupt content), and words the configuration error. Measured on .NET 10.0.12:
/// <list type="bullet">
/// <item>a context generated with <c>GenerationMode = Serialization</c>: <c>InvalidOperationException</c> "did not
/// provide property metadata", no inner exception, <c>Source</c> "System.Text.Json";</item>
/// <item>a constructor parameter that matches no property: <c>InvalidOperationException</c> "Each parameter in the
/// deserialization constructor … must bind", the same shape;</item>
/// <item>several public constructors and none marked <c>[JsonConstructor]</c>: <c>NotSupportedException</c>;</item>
/// <item>invalid UTF-8 in a string (which our own check before parsing normally finds first): the reader's
/// <c>InvalidOperationException</c> carries <c>Source</c> "System.Text.Json.Rethrowable" (and a
/// <c>DecoderFallbackException</c> when transcoding failed), and the serializer turns it into a <c>JsonException</c>.</item>
/// </list>
/// </summary>
internal static class JsonConfiguration
{
    /// <summary>The <c>Source</c> System.Text.Json gives the reader's own errors about the bytes.</summary>
    private const string ReaderSource = "System.Text.Json.Rethrowable";

    /// <summary>An error about the bytes: the file is corrupt.</summary>
    public static bool IsContentError(Exception ex) =>
        ex is JsonException or DecoderFallbackException or InvalidDataException
        || (ex is InvalidOperationException && (ex.InnerException is DecoderFallbackException || ex.Source == ReaderSource));

    /// <summary>An error about the type or its metadata: the file was not judged (or, on a save, nothing written).</summary>
    public static bool IsConfigurationError(Exception ex) =>
        ex is InvalidOperationException or NotSupportedException && ex.Source == "System.Text.Json" && !IsContentError(ex);

    /// <summary>The error a load raises when the type cannot be deserialized; <paramref name="wellFormed"/> when the syntax was checked.</summary>
    public static StoreConfigurationException LoadError(string path, JsonTypeInfo typeInfo, Exception ex, bool wellFormed) =>
        new(path, typeInfo.Type,
            $"The store file '{path}' was not judged: System.Text.Json cannot deserialize {typeInfo.Type.FullName} with the metadata the store was given ({Resolver(typeInfo)}): {ex.Message} "
            + $"This is a problem of the type or its JSON context, not of the file, which {(wellFormed ? "is well-formed JSON and " : "")}was left unchanged; do not quarantine or replace it. {Fixes}",
            ex);

    /// <summary>The error a save raises when the type cannot be serialized.</summary>
    public static StoreConfigurationException SaveError(string path, JsonTypeInfo typeInfo, Exception ex) =>
        new(path, typeInfo.Type,
            $"Could not save '{path}': System.Text.Json cannot serialize {typeInfo.Type.FullName} with the metadata the store was given ({Resolver(typeInfo)}): {ex.Message} "
            + $"This is a problem of the type or its JSON context, not of the disk: nothing was written and the previous content of the file is unchanged. {Fixes}",
            ex);

    /// <summary>
    /// The syntax error in <paramref name="utf8"/>, read with the store's reader options, or null when it holds one
    /// well-formed JSON value: a file the type could not even be tried on may still be plainly broken.
    /// </summary>
    public static JsonException? SyntaxError(ReadOnlySpan<byte> utf8, JsonSerializerOptions options)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas,
            CommentHandling = options.ReadCommentHandling,
            MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth,
        });
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException ex)
        {
            return ex;
        }
    }

    private const string Fixes =
        "Usual fixes: a JsonSerializerContext generated with GenerationMode Default or Metadata (not Serialization only); "
        + "constructor parameters named after properties of the same type; a public parameterless constructor, a single public constructor, or the one to use marked [JsonConstructor].";

    private static string Resolver(JsonTypeInfo typeInfo) => typeInfo.Options.TypeInfoResolver?.GetType().FullName ?? "no resolver";
}
