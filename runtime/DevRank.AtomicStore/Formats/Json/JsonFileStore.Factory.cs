using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace DevRank.AtomicStore;

/// <summary>Factory methods for <see cref="JsonFileStore{T}"/>.</summary>
public static class JsonFileStore
{
    /// <summary>Creates a store that serializes with the metadata of <paramref name="context"/> (trim- and AOT-safe).</summary>
    /// <typeparam name="T">The document type; <paramref name="context"/> must list it with <c>[JsonSerializable]</c>.</typeparam>
    /// <param name="fileName">The file's name relative to the store folder.</param>
    /// <param name="context">The source-generated serializer context.</param>
    /// <param name="writeOptions">Durability of saves; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="lockTimeout">How long <c>Update</c> waits for the store's lock; 30 s when null.</param>
    /// <param name="style">Whose bytes a save writes: System.Text.Json's (the default) or JavaScript's <c>JSON.stringify</c>.</param>
    /// <param name="indent">For <see cref="JsonStyle.JavaScript"/>: spaces per level, 0 to 10.</param>
    /// <returns>The store.</returns>
    /// <exception cref="InvalidOperationException"><paramref name="context"/> has no metadata for <typeparamref name="T"/>.</exception>
    public static JsonFileStore<T> Create<T>(string fileName, JsonSerializerContext context, AtomicWriteOptions? writeOptions = null, TimeSpan? lockTimeout = null, JsonStyle style = JsonStyle.SystemTextJson, int indent = 2)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetTypeInfo(typeof(T)) is not JsonTypeInfo<T> typeInfo)
        {
            throw new InvalidOperationException(
                $"The JSON context {context.GetType().FullName} has no metadata for {typeof(T).FullName}: add [JsonSerializable(typeof({typeof(T).Name}))] to it.");
        }

        return new JsonFileStore<T>(fileName, typeInfo, writeOptions, lockTimeout, style, indent);
    }

    /// <summary>Creates a store that serializes by reflection, with default System.Text.Json options.</summary>
    /// <typeparam name="T">The document type.</typeparam>
    /// <param name="fileName">The file's name relative to the store folder.</param>
    /// <param name="writeIndented">Indent the written JSON.</param>
    /// <param name="writeOptions">Durability of saves; <see cref="AtomicWriteOptions.Default"/> when null.</param>
    /// <param name="lockTimeout">How long <c>Update</c> waits for the store's lock; 30 s when null.</param>
    /// <param name="style">Whose bytes a save writes: System.Text.Json's (the default) or JavaScript's <c>JSON.stringify</c>.</param>
    /// <param name="indent">For <see cref="JsonStyle.JavaScript"/>: spaces per level, 0 to 10.</param>
    /// <returns>The store.</returns>
    [RequiresUnreferencedCode("Reflection-based JSON serialization may need members the trimmer removes. Give the store a JsonSerializerContext.")]
    [RequiresDynamicCode("Reflection-based JSON serialization may need runtime code generation. Give the store a JsonSerializerContext.")]
    public static JsonFileStore<T> CreateWithReflection<T>(string fileName, bool writeIndented = false, AtomicWriteOptions? writeOptions = null, TimeSpan? lockTimeout = null, JsonStyle style = JsonStyle.SystemTextJson, int indent = 2)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            WriteIndented = writeIndented,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        };
        options.MakeReadOnly();
        return new JsonFileStore<T>(fileName, (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T)), writeOptions, lockTimeout, style, indent);
    }
}
