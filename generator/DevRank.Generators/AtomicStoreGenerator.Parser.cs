using System.Diagnostics.CodeAnalysis;
using DevRank.Generators.Model;
using DevRank.Generators.Runtime;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators;

public sealed partial class AtomicStoreGenerator
{
    /// <summary>Turns a type marked <c>[AtomicStore]</c> into a <see cref="StoreModel"/>, or null when it cannot be a store.</summary>
    internal static class Parser
    {
        public static StoreModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type
                || context.TargetNode is not TypeDeclarationSyntax
                || context.Attributes.Length != 1)
            {
                return null;
            }

            // Below C# 9 the generated part could not compile (DRS013); below C# 11 it cannot implement IAtomicStore<T>.
            LanguageVersion language = StoreRules.LanguageVersionOf(context.TargetNode.SyntaxTree);
            if (language < StoreRules.MinimumLanguageVersion)
            {
                return null;
            }

            AttributeData attribute = context.Attributes[0];
            if (!IsSupportedShape(type, cancellationToken) || HasOtherStoreAttribute(type, attribute))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!TryReadAttribute(attribute, type, context.SemanticModel.Compilation, out string fileName, out SerializationModel? serialization, out StoreOptionsModel? options))
            {
                return null;
            }

            return new StoreModel(
                HintName: HintName(type),
                Namespace: type.ContainingNamespace.IsGlobalNamespace ? null : string.Join(".", NamespaceNames(type.ContainingNamespace)),
                ContainingTypes: ContainingTypes(type),
                Type: Declaration(type),
                FullyQualifiedName: FullyQualifiedName(type),
                FileName: fileName,
                Serialization: serialization,
                Options: options,
                IsValueType: type.IsValueType,
                CanCreate: StoreRules.CanCreate(type),
                ImplementsStoreInterface: language >= StoreRules.StoreInterfaceLanguageVersion);
        }

        /// <summary>
        /// A store must be a concrete, non-generic class or struct that can be re-declared as partial in another
        /// file, and so must every type around it. The rules live in <see cref="StoreRules"/>, which the analyzer
        /// shares, so that the two always agree on which types get no members.
        /// </summary>
        private static bool IsSupportedShape(INamedTypeSymbol type, CancellationToken cancellationToken) =>
            StoreRules.UnsupportedShape(type) is null
            && !StoreRules.HasMissingName(type, cancellationToken)
            && StoreRules.NonPartialDeclarations(type, cancellationToken).Count == 0
            && StoreRules.GeneratedMemberCollisions(type).Count == 0;

        /// <summary>
        /// Two <c>[AtomicStore]</c> attributes on one type (one per partial part), or one on a base type, would give
        /// two sets of the same members: that is the analyzer's to report, not ours to guess.
        /// </summary>
        private static bool HasOtherStoreAttribute(INamedTypeSymbol type, AttributeData attribute)
        {
            int own = 0;
            foreach (AttributeData candidate in type.GetAttributes())
            {
                if (SymbolEqualityComparer.Default.Equals(candidate.AttributeClass, attribute.AttributeClass))
                {
                    own++;
                }
            }

            if (own != 1)
            {
                return true;
            }

            return StoreRules.BaseStore(type) is not null;
        }

        private static bool TryReadAttribute(
            AttributeData attribute,
            INamedTypeSymbol type,
            Compilation compilation,
            out string fileName,
            [NotNullWhen(true)] out SerializationModel? serialization,
            [NotNullWhen(true)] out StoreOptionsModel? options)
        {
            fileName = "";
            serialization = null;
            options = null;

            // Half-typed code: [AtomicStore], [AtomicStore(42)], [AtomicStore(null)] all end here.
            if (attribute.ConstructorArguments is not [{ Kind: TypedConstantKind.Primitive, Value: string name }]
                || StoreFileNames.Validate(name) is not null)
            {
                return false;
            }

            var read = new AttributeOptions();
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                // Half-typed code is the compiler's to report; an option we cannot read is DRS012.
                if (argument.Value.Kind == TypedConstantKind.Error || read.Read(argument.Key, argument.Value) == OptionRead.Unsupported)
                {
                    return false;
                }
            }

            // A value that breaks a rule (an unusable context, DRS005; an undefined enum or a negative timeout, DRS011;
            // a JSON Lines store that is no collection, DRS017): no store rather than a wrong one.
            string? jsonContext = null;
            if (read.JsonContext is { } context)
            {
                if (StoreRules.CheckContext(context, type, compilation) != ContextProblem.None)
                {
                    return false;
                }

                jsonContext = FullyQualifiedName(context);
            }

            if (!StoreRules.IsDefinedDurability((int)read.Durability) || read.LockTimeoutMilliseconds < 0 || !StoreRules.IsDefinedFormat(read.Format)
                || !StoreRules.IsDefinedStyle(read.Style) || !StoreRules.IsValidIndent(read.Indent))
            {
                return false;
            }

            StoreFormat format = StoreRules.ResolveFormat(name, read.Format);
            string? itemType = null;
            if (format == StoreFormat.JsonLines)
            {
                if (StoreRules.JsonLinesItemType(type) is not { } item)
                {
                    return false;
                }

                itemType = item.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithMiscellaneousOptions(
                    SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier));
            }

            fileName = name;
            // A context carries its own JsonSerializerOptions, so WriteIndented only matters for reflection, and a JSON
            // Lines record is one line whatever the options say.
            serialization = new SerializationModel(
                jsonContext,
                jsonContext is null && format == StoreFormat.Json && read.Style == JsonStyle.SystemTextJson && read.WriteIndented,
                format,
                itemType,
                read.Style,
                read.Style == JsonStyle.JavaScript && format == StoreFormat.Json ? read.Indent : 2);
            options = new StoreOptionsModel(
                read.Durability == StoreDefaults.Durability ? null : read.Durability,
                read.LockTimeoutMilliseconds == StoreDefaults.LockTimeoutMilliseconds ? null : read.LockTimeoutMilliseconds,
                read.KeepBackup,
                FinalNewline: format != StoreFormat.JsonLines || read.FinalNewline);
            return true;
        }

        /// <summary>
        /// <c>Ns.Outer.Inner.AtomicStore.g.cs</c>: readable in the IDE's list of generated files. Roslyn compares hint
        /// names ignoring case (they become file names), so where a sibling differs from a part of the path only in
        /// case (<c>Cache</c> and <c>cache</c>) a hash of the exact name keeps the two files apart.
        /// </summary>
        private static string HintName(INamedTypeSymbol type)
        {
            var parts = new List<string>();
            bool caseClash = false;
            for (ISymbol current = type; current is INamespaceOrTypeSymbol and not INamespaceSymbol { IsGlobalNamespace: true }; current = current.ContainingSymbol)
            {
                parts.Add(current.Name);
                caseClash |= HasCaseClash((INamespaceOrTypeSymbol)current);
            }

            parts.Reverse();
            string path = string.Join(".", parts);
            return (caseClash ? $"{path}.{StableHash(path):x8}" : path) + GeneratedMembers.HintNameSuffix;
        }

        private static bool HasCaseClash(INamespaceOrTypeSymbol symbol)
        {
            if (symbol.ContainingSymbol is not INamespaceOrTypeSymbol parent)
            {
                return false;
            }

            foreach (ISymbol sibling in parent.GetMembers())
            {
                if (sibling is INamespaceOrTypeSymbol
                    && !SymbolEqualityComparer.Default.Equals(sibling, symbol)
                    && string.Equals(sibling.Name, symbol.Name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>FNV-1a: the same on every machine and every run, unlike <see cref="string.GetHashCode()"/>.</summary>
        private static uint StableHash(string text)
        {
            uint hash = 2166136261;
            foreach (char c in text)
            {
                hash = unchecked((hash ^ c) * 16777619);
            }

            return hash;
        }

        private static EquatableArray<TypeDeclarationModel> ContainingTypes(INamedTypeSymbol type)
        {
            var containing = new List<TypeDeclarationModel>();
            for (INamedTypeSymbol? current = type.ContainingType; current is not null; current = current.ContainingType)
            {
                containing.Add(Declaration(current));
            }

            containing.Reverse();
            return new EquatableArray<TypeDeclarationModel>([.. containing]);
        }

        private static TypeDeclarationModel Declaration(INamedTypeSymbol type)
        {
            string keyword = type switch
            {
                { IsRecord: true, TypeKind: TypeKind.Struct } => "record struct",
                { IsRecord: true } => "record",
                { TypeKind: TypeKind.Struct } => "struct",
                { TypeKind: TypeKind.Interface } => "interface",
                _ => "class",
            };

            return new TypeDeclarationModel(keyword, Identifier(type.Name));
        }

        /// <summary>
        /// <c>global::Ns.Outer.Type</c>, every name escaped by <see cref="Identifier"/>. Written by hand because
        /// <see cref="SymbolDisplayFormat.FullyQualifiedFormat"/> leaves some keywords bare (a <c>record struct</c>
        /// named <c>@class</c> came out as <c>global::Ns.class</c>). Stores and contexts are never generic, nor nested
        /// in a generic type (<see cref="StoreRules"/> checks), so names are all there is.
        /// </summary>
        private static string FullyQualifiedName(INamedTypeSymbol type)
        {
            var names = new List<string>();
            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                names.Add(Identifier(current.Name));
            }

            names.Reverse();
            return "global::" + string.Join(".", NamespaceNames(type.ContainingNamespace).Concat(names));
        }

        /// <summary>The namespace's names, outermost first, each escaped; none for the global namespace.</summary>
        private static List<string> NamespaceNames(INamespaceSymbol ns)
        {
            var names = new List<string>();
            for (INamespaceSymbol? current = ns; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
            {
                names.Add(Identifier(current.Name));
            }

            names.Reverse();
            return names;
        }

        /// <summary>
        /// A name as generated code must write it: <c>@</c> before a keyword (<c>@class</c>) and before a contextual
        /// keyword (<c>@record</c>, <c>@partial</c>, <c>@async</c>), which some positions would read as the keyword.
        /// The compiler's own <see cref="SyntaxFacts"/> decides, so keywords newer than the Roslyn we build against
        /// are escaped too.
        /// </summary>
        internal static string Identifier(string name) =>
            SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
                ? "@" + name
                : name;
    }
}
