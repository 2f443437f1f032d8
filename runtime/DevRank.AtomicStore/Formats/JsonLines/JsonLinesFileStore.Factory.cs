using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>Factory methods for <see cref="JsonLinesFileStore{T, TItem}"/>.</summary>
public static class JsonLinesFileStore
{
    /// <summary>Creates a store that serializes each record with the metadata of <paramref name="context"/> (trim- and AOT-safe).</summary>
    /// <typeparam name="T">The collection the whole file loads as; it needs no metadata of its own.</typeparam>
    /// <typeparam name="TItem">
    /// The record type, whose metadata is taken from <paramref name="context"/>. A context that lists the collection
    /// (<c>[JsonSerializable(typeof(Visited))]</c> for <c>Visited : List&lt;string&gt;</c>) has metadata for its element
    /// type too.
    /// </typeparam>
    /// <param name="fileName">The file's name relative to the store folder.</param>
    /// <param name="context">The source-generated serializer context.</param>
    /// <param name="writeOptions">Durability of saves and appends; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="lockTimeout">How long updates, saves and appends wait for the store's lock; 30 s when null.</param>
    /// <param name="finalNewline">Whether a save ends the last record with <c>'\n'</c>; see <see cref="JsonLinesFileStore{T, TItem}.FinalNewline"/>.</param>
    /// <param name="style">Whose bytes each record is; see <see cref="JsonLinesFileStore{T, TItem}.Style"/>.</param>
    /// <returns>The store.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="context"/> has no metadata for <typeparamref name="TItem"/>.</exception>
    public static JsonLinesFileStore<T, TItem> Create<T, TItem>(string fileName, JsonSerializerContext context, AtomicWriteOptions? writeOptions = null, TimeSpan? lockTimeout = null, bool finalNewline = true, JsonStyle style = JsonStyle.SystemTextJson)
        where T : ICollection<TItem>, new()
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetTypeInfo(typeof(TItem)) is not JsonTypeInfo<TItem> itemTypeInfo)
        {
            throw new InvalidOperationException(
                $"The JSON context {context.GetType().FullName} has no metadata for {typeof(TItem).FullName}, the record type of the JSON Lines store {typeof(T).FullName}: add [JsonSerializable(typeof({typeof(TItem).Name}))] (or of a collection of it) to it.");
        }

        return new JsonLinesFileStore<T, TItem>(fileName, itemTypeInfo, writeOptions, lockTimeout, finalNewline, style);
    }

    /// <summary>Creates a store that serializes each record by reflection, with default System.Text.Json options.</summary>
    /// <typeparam name="T">The collection the whole file loads as.</typeparam>
    /// <typeparam name="TItem">The record type.</typeparam>
    /// <param name="fileName">The file's name relative to the store folder.</param>
    /// <param name="writeOptions">Durability of saves and appends; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="lockTimeout">How long updates, saves and appends wait for the store's lock; 30 s when null.</param>
    /// <param name="finalNewline">Whether a save ends the last record with <c>'\n'</c>; see <see cref="JsonLinesFileStore{T, TItem}.FinalNewline"/>.</param>
    /// <param name="style">Whose bytes each record is; see <see cref="JsonLinesFileStore{T, TItem}.Style"/>.</param>
    /// <returns>The store.</returns>
    [RequiresUnreferencedCode("Reflection-based JSON serialization may need members the trimmer removes. Give the store a JsonSerializerContext.")]
    [RequiresDynamicCode("Reflection-based JSON serialization may need runtime code generation. Give the store a JsonSerializerContext.")]
    public static JsonLinesFileStore<T, TItem> CreateWithReflection<T, TItem>(string fileName, AtomicWriteOptions? writeOptions = null, TimeSpan? lockTimeout = null, bool finalNewline = true, JsonStyle style = JsonStyle.SystemTextJson)
        where T : ICollection<TItem>, new()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return new JsonLinesFileStore<T, TItem>(fileName, (JsonTypeInfo<TItem>)options.GetTypeInfo(typeof(TItem)), writeOptions, lockTimeout, finalNewline, style);
    }
}
