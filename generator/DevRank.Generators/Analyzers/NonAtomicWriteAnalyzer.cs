using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using static DevRank.Generators.DiagnosticDescriptors;

namespace DevRank.Generators.Analyzers;

/// <summary>
/// Finds plain, in-place writes (<c>File.WriteAllText</c>, <c>new FileStream(..., FileMode.Create)</c>, ...) to a
/// path that ends in a store's file name: the bug that started it all was a <c>writeFile</c> over <c>users.json</c>.
/// </summary>
/// <remarks>
/// The stores are collected once per compilation, on the first candidate write; each call is then checked on its
/// own, with no scan of the compilation.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NonAtomicWriteAnalyzer : DiagnosticAnalyzer
{
    private const int FileModeOpenOrCreate = 4;
    private const int FileModeCreate = 2;
    private const int FileModeTruncate = 5;
    private const int FileModeAppend = 6;

    private static readonly ImmutableHashSet<string> FileWriteMethods = ImmutableHashSet.Create(
        StringComparer.Ordinal,
        "WriteAllText", "WriteAllTextAsync", "WriteAllBytes", "WriteAllBytesAsync", "WriteAllLines", "WriteAllLinesAsync",
        "AppendAllText", "AppendAllTextAsync", "AppendAllLines", "AppendAllLinesAsync", "AppendAllBytes", "AppendAllBytesAsync",
        "Create", "CreateText", "AppendText", "OpenWrite", "Open");

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(NonAtomicWrite, NonAtomicAppend, NonAtomicReplace);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(static start =>
        {
            Compilation compilation = start.Compilation;
            if (compilation.GetTypeByMetadataName(StoreRules.AttributeMetadataName) is null
                || compilation.GetTypeByMetadataName("System.IO.File") is not { } file)
            {
                return;
            }

            var types = new KnownTypes(
                file,
                compilation.GetTypeByMetadataName("System.IO.Path"),
                compilation.GetTypeByMetadataName("System.IO.FileStream"),
                compilation.GetTypeByMetadataName("System.IO.StreamWriter"),
                compilation.GetTypeByMetadataName("System.Text.Encoding"),
                compilation.GetTypeByMetadataName("System.Threading.CancellationToken"),
                compilation.GetTypeByMetadataName("DevRank.AtomicStore.AtomicFile") is not null);
            var index = new Lazy<StoreIndex>(() => StoreIndex.Build(compilation, CancellationToken.None), LazyThreadSafetyMode.ExecutionAndPublication);

            start.RegisterOperationAction(c => AnalyzeInvocation(c, types, index), OperationKind.Invocation);
            start.RegisterOperationAction(c => AnalyzeCreation(c, types, index), OperationKind.ObjectCreation);
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes types, Lazy<StoreIndex> index)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name is "Copy" or "Move"
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, types.File)
            && Argument(invocation.Arguments, "overwrite") is { Value.ConstantValue: { HasValue: true, Value: true } }
            && Argument(invocation.Arguments, "destFileName") is { } destination
            && Match(destination.Value, types, index) is { } replaced)
        {
            context.ReportDiagnostic(Diagnostic.Create(NonAtomicReplace, invocation.Syntax.GetLocation(), $"File.{method.Name}", replaced.FileName, replaced.Type.Name));
            return;
        }

        if (!FileWriteMethods.Contains(method.Name)
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.File)
            || Argument(invocation.Arguments, "path") is not { } path)
        {
            return;
        }

        // File.Open writes only with a mode that creates, truncates or appends.
        if (method.Name == "Open" && !(Argument(invocation.Arguments, "mode") is { } mode && IsWritingMode(mode.Value)))
        {
            return;
        }

        if (Match(path.Value, types, index) is not { } store)
        {
            return;
        }

        ImmutableDictionary<string, string?> properties = ImmutableDictionary<string, string?>.Empty;
        if (types.HasAtomicFile && AtomicReplacement(invocation, types) is { } replacement)
        {
            properties = properties.Add(AtomicMethodProperty, replacement.Method);
            if (replacement.TokenIndex is { } tokenIndex)
            {
                properties = properties.Add(TokenArgumentProperty, tokenIndex.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        DiagnosticDescriptor descriptor = method.Name.StartsWith("Append", StringComparison.Ordinal) ? NonAtomicAppend : NonAtomicWrite;
        context.ReportDiagnostic(Diagnostic.Create(
            descriptor, invocation.Syntax.GetLocation(), properties, $"File.{method.Name}", store.FileName, store.Type.Name));
    }

    private static void AnalyzeCreation(OperationAnalysisContext context, KnownTypes types, Lazy<StoreIndex> index)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        if (creation.Constructor is not { } constructor || Argument(creation.Arguments, "path") is not { } path)
        {
            return;
        }

        string what;
        if (SymbolEqualityComparer.Default.Equals(constructor.ContainingType, types.FileStream))
        {
            if (!(Argument(creation.Arguments, "mode") is { } mode && IsWritingMode(mode.Value)))
            {
                return;
            }

            what = "new FileStream";
        }
        else if (SymbolEqualityComparer.Default.Equals(constructor.ContainingType, types.StreamWriter))
        {
            what = "new StreamWriter";
        }
        else
        {
            return;
        }

        if (Match(path.Value, types, index) is { } store)
        {
            context.ReportDiagnostic(Diagnostic.Create(NonAtomicWrite, creation.Syntax.GetLocation(), what, store.FileName, store.Type.Name));
        }
    }

    private static StoreIndex.Entry? Match(IOperation path, KnownTypes types, Lazy<StoreIndex> index)
    {
        if (StorePath(path) is { } stored)
        {
            return index.Value.All.FirstOrDefault(entry => SymbolEqualityComparer.Default.Equals(entry.Type, stored));
        }

        string? tail = ConstantTail(path, types);
        return tail is null ? null : index.Value.Match(StoreIndex.Split(tail));
    }

    /// <summary>
    /// The store whose file a path is when the path comes from the API itself: <c>Settings.Store.GetPath(dir)</c> on any
    /// of the runtime's stores (<c>FileStore&lt;T&gt;</c> and its formats).
    /// </summary>
    private static ITypeSymbol? StorePath(IOperation operation)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        if (operation is not IInvocationOperation { TargetMethod: { Name: "GetPath" } getPath })
        {
            return null;
        }

        for (INamedTypeSymbol? type = getPath.ContainingType; type is not null; type = type.BaseType)
        {
            if (type is { Name: "FileStore", Arity: 1 } && type.ContainingNamespace.ToDisplayString() == "DevRank.AtomicStore")
            {
                return type.TypeArguments[0];
            }
        }

        return null;
    }

    /// <summary>
    /// The constant end of a path expression: a constant (<c>"users.json"</c>, <c>Users.FileName</c>), the trailing
    /// constant arguments of <c>Path.Combine</c>/<c>Path.Join</c>, the trailing constant text of an interpolated
    /// string, or the constant right-hand side of a concatenation.
    /// </summary>
    private static string? ConstantTail(IOperation operation, KnownTypes types)
    {
        while (operation is IConversionOperation or IParenthesizedOperation)
        {
            operation = operation is IConversionOperation conversion ? conversion.Operand : ((IParenthesizedOperation)operation).Operand;
        }

        if (operation.ConstantValue is { HasValue: true, Value: string constant })
        {
            return constant;
        }

        switch (operation)
        {
            case IInvocationOperation { TargetMethod.Name: "Combine" or "Join" } call
                when SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, types.Path):
            {
                var parts = new List<IOperation>();
                foreach (IArgumentOperation argument in call.Arguments)
                {
                    if (argument.ArgumentKind == ArgumentKind.ParamArray && argument.Value is IArrayCreationOperation { Initializer: { } initializer })
                    {
                        parts.AddRange(initializer.ElementValues);
                    }
                    else
                    {
                        parts.Add(argument.Value);
                    }
                }

                string? tail = null;
                for (int i = parts.Count - 1; i >= 0; i--)
                {
                    if (ConstantString(parts[i]) is not { } part)
                    {
                        break;
                    }

                    tail = tail is null ? part : part + "/" + tail;
                }

                return tail;
            }

            case IInterpolatedStringOperation interpolated:
            {
                string? tail = null;
                for (int i = interpolated.Parts.Length - 1; i >= 0; i--)
                {
                    string? part = interpolated.Parts[i] switch
                    {
                        IInterpolatedStringTextOperation text => ConstantString(text.Text),
                        IInterpolationOperation { Alignment: null, FormatString: null } hole => ConstantString(hole.Expression),
                        _ => null,
                    };
                    if (part is null)
                    {
                        break;
                    }

                    tail = part + tail;
                }

                return tail;
            }

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } concatenation:
                return ConstantTail(concatenation.RightOperand, types);

            default:
                return null;
        }
    }

    private static string? ConstantString(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation.ConstantValue is { HasValue: true, Value: string value } ? value : null;
    }

    private static bool IsWritingMode(IOperation mode) =>
        mode.ConstantValue is { HasValue: true, Value: int value } && value is FileModeCreate or FileModeTruncate or FileModeOpenOrCreate or FileModeAppend;

    private static IArgumentOperation? Argument(ImmutableArray<IArgumentOperation> arguments, string parameterName)
    {
        foreach (IArgumentOperation argument in arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>
    /// The <c>AtomicFile</c> method with the same leading <c>(path, contents[, encoding])</c> parameters, for the
    /// simple cases the code fix rewrites: every argument positional and of the classic overload's types.
    /// </summary>
    private static (string Method, int? TokenIndex)? AtomicReplacement(IInvocationOperation invocation, KnownTypes types)
    {
        IMethodSymbol method = invocation.TargetMethod;
        if (method.Name is not ("WriteAllText" or "WriteAllTextAsync" or "WriteAllBytes" or "WriteAllBytesAsync")
            || invocation.Syntax is not InvocationExpressionSyntax syntax
            || syntax.ArgumentList.Arguments.Any(static a => a.NameColon is not null)
            || syntax.ArgumentList.Arguments.Count != method.Parameters.Length)
        {
            return null;
        }

        bool text = method.Name.StartsWith("WriteAllText", StringComparison.Ordinal);
        ImmutableArray<IParameterSymbol> parameters = method.Parameters;
        if (parameters.Length < 2
            || parameters[0].Type.SpecialType != SpecialType.System_String
            || !(text
                ? parameters[1].Type.SpecialType == SpecialType.System_String
                : parameters[1].Type is IArrayTypeSymbol { ElementType.SpecialType: SpecialType.System_Byte }))
        {
            return null;
        }

        int? tokenIndex = null;
        for (int i = 2; i < parameters.Length; i++)
        {
            ITypeSymbol type = parameters[i].Type;
            if (text && i == 2 && SymbolEqualityComparer.Default.Equals(type, types.Encoding))
            {
                continue;
            }

            if (i == parameters.Length - 1 && SymbolEqualityComparer.Default.Equals(type, types.CancellationToken))
            {
                tokenIndex = i;
                continue;
            }

            return null;
        }

        return (method.Name, tokenIndex);
    }

    private sealed record KnownTypes(
        INamedTypeSymbol File,
        INamedTypeSymbol? Path,
        INamedTypeSymbol? FileStream,
        INamedTypeSymbol? StreamWriter,
        INamedTypeSymbol? Encoding,
        INamedTypeSymbol? CancellationToken,
        bool HasAtomicFile);
}
