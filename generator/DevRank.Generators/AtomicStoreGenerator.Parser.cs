using System.Diagnostics.CodeAnalysis;
using DevRank.Generators.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DevRank.Generators;

public sealed partial class AtomicStoreGenerator
{
    /// <summary>Turns a type marked <c>[AtomicStore]</c> into a <see cref="StoreModel"/>, or null when it cannot be a store.</summary>
    internal static class Parser
    {
        /// <summary>Mirrors <c>JsonFileStoreDefaults.LockTimeoutMilliseconds</c> in the runtime: the default is not emitted.</summary>
        private const int DefaultLockTimeoutMilliseconds = 30_000;

        private const string JsonSerializerContextMetadataName = "System.Text.Json.Serialization.JsonSerializerContext";
        private const string SetsRequiredMembersMetadataName = "System.Diagnostics.CodeAnalysis.SetsRequiredMembersAttribute";
        private const string ObsoleteMetadataName = "System.ObsoleteAttribute";

        private static readonly SymbolDisplayFormat NamespaceFormat =
            SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted);

        public static StoreModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
        {
            if (context.TargetSymbol is not INamedTypeSymbol type
                || context.TargetNode is not TypeDeclarationSyntax declaration
                || context.Attributes.Length != 1)
            {
                return null;
            }

            AttributeData attribute = context.Attributes[0];
            if (!IsSupportedShape(type, declaration) || HasOtherStoreAttribute(type, attribute))
            {
                return null;
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (!TryReadAttribute(attribute, context.SemanticModel.Compilation, out string fileName, out SerializationModel? serialization, out StoreOptionsModel? options))
            {
                return null;
            }

            return new StoreModel(
                HintName: HintName(type),
                Namespace: type.ContainingNamespace.IsGlobalNamespace ? null : type.ContainingNamespace.ToDisplayString(NamespaceFormat),
                ContainingTypes: ContainingTypes(type),
                Type: Declaration(type),
                FullyQualifiedName: type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
                FileName: fileName,
                Serialization: serialization,
                Options: options,
                IsValueType: type.IsValueType,
                CanCreate: CanCreate(type));
        }

        /// <summary>
        /// A store must be a concrete, non-generic class or struct that can be re-declared as partial in another
        /// file, and so must every type around it.
        /// </summary>
        private static bool IsSupportedShape(INamedTypeSymbol type, TypeDeclarationSyntax declaration)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)
                || type.IsStatic || type.IsAbstract || type.IsRefLikeType || type.IsGenericType)
            {
                return false;
            }

            for (INamedTypeSymbol? current = type; current is not null; current = current.ContainingType)
            {
                // File-local types cannot have a part in our file; generic containers would need their type parameters.
                if (current.IsFileLocal || current.TypeParameters.Length > 0)
                {
                    return false;
                }
            }

            for (SyntaxNode? node = declaration; node is not null; node = node.Parent)
            {
                // A half-typed declaration (`partial class {`) has a missing name: nothing to attach members to yet.
                if (node is TypeDeclarationSyntax typeDeclaration
                    && (!typeDeclaration.Modifiers.Any(SyntaxKind.PartialKeyword) || typeDeclaration.Identifier.IsMissing))
                {
                    return false;
                }
            }

            return true;
        }

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

            for (INamedTypeSymbol? baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                foreach (AttributeData candidate in baseType.GetAttributes())
                {
                    if (SymbolEqualityComparer.Default.Equals(candidate.AttributeClass, attribute.AttributeClass))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool TryReadAttribute(
            AttributeData attribute,
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

            string? jsonContext = null;
            bool writeIndented = false;
            int? durability = null;
            int? lockTimeout = null;
            foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
            {
                TypedConstant value = argument.Value;
                if (value.Kind == TypedConstantKind.Error)
                {
                    return false;
                }

                switch (argument.Key)
                {
                    case "JsonContext" when value.IsNull:
                        break;
                    case "JsonContext" when value.Value is INamedTypeSymbol context && IsUsableContext(context, compilation):
                        jsonContext = context.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
                        break;
                    case "WriteIndented" when value.Value is bool indented:
                        writeIndented = indented;
                        break;
                    case "Durability" when value.Value is int level:
                        durability = level == 0 ? null : level;
                        break;
                    case "LockTimeoutMilliseconds" when value.Value is int milliseconds && milliseconds >= 0:
                        lockTimeout = milliseconds == DefaultLockTimeoutMilliseconds ? null : milliseconds;
                        break;
                    default:
                        // An unusable context (a missing type, say) or a negative timeout: no store rather than a wrong one.
                        return false;
                }
            }

            fileName = name;
            // A context carries its own JsonSerializerOptions, so WriteIndented only matters for reflection.
            serialization = new SerializationModel(jsonContext, jsonContext is null && writeIndented);
            options = durability is null && lockTimeout is null ? StoreOptionsModel.Default : new StoreOptionsModel(durability, lockTimeout);
            return true;
        }

        /// <summary>A concrete, non-generic <c>JsonSerializerContext</c>, so that <c>Context.Default</c> exists once STJ has run.</summary>
        private static bool IsUsableContext(INamedTypeSymbol context, Compilation compilation)
        {
            INamedTypeSymbol? contextBase = compilation.GetTypeByMetadataName(JsonSerializerContextMetadataName);
            if (contextBase is null || context.TypeKind != TypeKind.Class || context.IsAbstract || context.IsGenericType)
            {
                return false;
            }

            for (INamedTypeSymbol? baseType = context.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(baseType, contextBase))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>
        /// Whether generated code may write <c>new T()</c>: there is a parameterless constructor (or one whose
        /// parameters are all optional), it is not private or obsolete, and it sets every <c>required</c> member.
        /// A private one is usually there for a serializer or a factory, not as an invitation to create.
        /// </summary>
        private static bool CanCreate(INamedTypeSymbol type)
        {
            IMethodSymbol? constructor = null;
            foreach (IMethodSymbol candidate in type.InstanceConstructors)
            {
                if (candidate.Parameters.IsEmpty)
                {
                    constructor = candidate;
                    break;
                }

                if (candidate.Parameters.All(static parameter => parameter.IsOptional || parameter.IsParams))
                {
                    // Two such constructors make `new T()` ambiguous.
                    if (constructor is not null)
                    {
                        return false;
                    }

                    constructor = candidate;
                }
            }

            if (constructor is null)
            {
                // A struct always has its parameterless constructor, even where Roslyn lists none.
                return type.IsValueType && !HasRequiredMembers(type);
            }

            if (constructor.DeclaredAccessibility == Accessibility.Private || HasAttribute(constructor, ObsoleteMetadataName))
            {
                return false;
            }

            return !HasRequiredMembers(type) || HasAttribute(constructor, SetsRequiredMembersMetadataName);
        }

        private static bool HasRequiredMembers(INamedTypeSymbol type)
        {
            for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
            {
                foreach (ISymbol member in current.GetMembers())
                {
                    if (member is IPropertySymbol { IsRequired: true } or IFieldSymbol { IsRequired: true })
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool HasAttribute(ISymbol symbol, string metadataName)
        {
            foreach (AttributeData attribute in symbol.GetAttributes())
            {
                if (attribute.AttributeClass is { } attributeClass && FullMetadataName(attributeClass) == metadataName)
                {
                    return true;
                }
            }

            return false;
        }

        private static string FullMetadataName(INamedTypeSymbol type) =>
            type.ContainingNamespace.IsGlobalNamespace
                ? type.MetadataName
                : type.ContainingNamespace.ToDisplayString() + "." + type.MetadataName;

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
            return caseClash ? $"{path}.{StableHash(path):x8}.AtomicStore.g.cs" : path + ".AtomicStore.g.cs";
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

            string name = SyntaxFacts.GetKeywordKind(type.Name) == SyntaxKind.None ? type.Name : "@" + type.Name;
            return new TypeDeclarationModel(keyword, name);
        }
    }
}
