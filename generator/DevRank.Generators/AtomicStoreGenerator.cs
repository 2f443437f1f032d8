using DevRank.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators;

/// <summary>
/// Adds typed <c>Load</c>, <c>TryLoad</c>, <c>LoadOrCreate</c>, <c>Save</c> and <c>Update</c> members to every
/// partial type marked <c>[DevRank.AtomicStore.AtomicStore]</c>. The members are one-line calls into the
/// runtime's <c>FileStore&lt;T&gt;</c> (through its format, <c>JsonFileStore&lt;T&gt;</c>), which does the I/O.
/// </summary>
/// <remarks>
/// The generator never reports diagnostics and never throws: a type it cannot handle simply gets no members, and
/// a separate analyzer explains why. Keeping validation out of the pipeline keeps the pipeline cacheable.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed partial class AtomicStoreGenerator : IIncrementalGenerator
{
    /// <summary>The attribute, matched by name so the generator never loads the runtime assembly.</summary>
    internal const string AttributeMetadataName = StoreRules.AttributeMetadataName;

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<StoreModel> stores = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeMetadataName,
                predicate: static (node, _) => node is ClassDeclarationSyntax or StructDeclarationSyntax or RecordDeclarationSyntax,
                transform: static (attributeContext, cancellationToken) => Parser.Parse(attributeContext, cancellationToken))
            .WithTrackingName(TrackingNames.Stores)
            .Where(static store => store is not null)
            .Select(static (store, _) => store!)
            .WithTrackingName(TrackingNames.ValidStores);

        context.RegisterSourceOutput(stores, static (sourceContext, store) => Emitter.Emit(sourceContext, store));
    }
}
