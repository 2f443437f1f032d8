using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>
/// A store whose file is one JSON document, written and read with System.Text.Json. Everything but the bytes (path,
/// lock, save queue, update, backup, sweep) is <see cref="FileStore{T}"/>'s.
/// </summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class JsonFileStore<T> : FileStore<T>
{
    // 0 until the first save decides, then 1 (JsonStreaming) or 2 (JsonSerializer.Serialize(Stream)). An int, so
    // that racing first saves read and write it whole; both decide the same.
    private int _serializerPath;

    /// <summary>Creates a store that serializes with <paramref name="typeInfo"/> (trim- and AOT-safe).</summary>
    /// <param name="fileName">The file's name relative to the store folder; may contain sub-folders, must stay inside it.</param>
    /// <param name="typeInfo">Serialization metadata, usually from a <c>JsonSerializerContext</c>.</param>
    /// <param name="writeOptions">Durability of saves; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="lockTimeout">How long <c>Update</c> waits for the store's lock; 30 s when null.</param>
    /// <param name="style">Whose bytes a save writes: System.Text.Json's (the default) or JavaScript's <c>JSON.stringify</c>.</param>
    /// <param name="indent">
    /// For <see cref="JsonStyle.JavaScript"/>: the spaces per level, 0 to 10, as <c>JSON.stringify</c>'s third argument.
    /// Ignored by the other styles.
    /// </param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="style"/> is undefined, or <paramref name="indent"/> is outside 0 to 10.</exception>
    public JsonFileStore(string fileName, JsonTypeInfo<T> typeInfo, AtomicWriteOptions? writeOptions = null, TimeSpan? lockTimeout = null, JsonStyle style = JsonStyle.SystemTextJson, int indent = 2)
        : base(fileName, writeOptions, lockTimeout)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (!Enum.IsDefined(style))
        {
            throw new ArgumentOutOfRangeException(nameof(style), style, "Not a JsonStyle value.");
        }

        if (indent is < 0 or > JavaScriptJson.MaxIndent)
        {
            throw new ArgumentOutOfRangeException(nameof(indent), indent, $"JSON.stringify indents by 0 to {JavaScriptJson.MaxIndent} spaces.");
        }

        TypeInfo = typeInfo;
        Style = style;
        Indent = indent;
    }

    /// <summary>The serialization metadata.</summary>
    public JsonTypeInfo<T> TypeInfo { get; }

    /// <summary>Whose bytes a save writes.</summary>
    public JsonStyle Style { get; }

    /// <summary>The spaces per level of <see cref="JsonStyle.JavaScript"/> output.</summary>
    public int Indent { get; }

    /// <summary>Which serializer path saves take; decided at the first save, when the type's metadata is in use anyway.</summary>
    internal bool SerializesInChunks
    {
        get
        {
            if (_serializerPath == 0)
            {
                _serializerPath = JsonStreaming.IsFasterFor(TypeInfo) ? 1 : 2;
            }

            return _serializerPath == 1;
        }
    }

    private protected override bool TryRead(string path, out T value) => JsonDocumentReader.TryRead(path, TypeInfo, out value);

    private protected override ValueTask<(bool Found, T Value)> TryReadAsync(string path, CancellationToken cancellationToken) =>
        JsonDocumentReader.TryReadAsync(path, TypeInfo, cancellationToken);

    private protected override void Serialize(Stream stream, T value)
    {
        if (Style == JsonStyle.JavaScript)
        {
            JavaScriptJson.Serialize(stream, value, TypeInfo, Indent);
        }
        else if (Style == JsonStyle.JavaScriptRecordPerLine)
        {
            JavaScriptJson.SerializeRecordPerLine(stream, value, TypeInfo);
        }
        else if (SerializesInChunks)
        {
            JsonStreaming.Serialize(stream, value, TypeInfo);
        }
        else
        {
            JsonSerializer.Serialize(stream, value, TypeInfo);
        }
    }

    private protected override Exception? SaveError(string path, Exception inner) =>
        JsonConfiguration.IsConfigurationError(inner) ? JsonConfiguration.SaveError(path, TypeInfo, inner) : null;
}
