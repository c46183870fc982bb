using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SparseViT.PowerShell.Completion;

/// <summary>
/// Tab completion for -Device. Static on purpose: probing CUDA would load libtorch (seconds) on every Tab press,
/// and `cuda:N` beyond the listed ones is still accepted by the engine.
/// </summary>
public sealed class DeviceCompleter : IArgumentCompleter
{
    internal static readonly (string Name, string Tip)[] Devices =
    [
        ("auto", "CUDA when a CUDA libtorch and a GPU are present, otherwise CPU"),
        ("cpu", "CPU (the libtorch that ships with the module)"),
        ("cuda", "First CUDA device (needs SPARSEVIT_LIBTORCH pointing at a CUDA libtorch)"),
        ("cuda:0", "CUDA device 0"),
        ("cuda:1", "CUDA device 1"),
    ];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Devices, wordToComplete);
}

/// <summary>Tab completion for -Precision with the names the engine parses.</summary>
public sealed class PrecisionCompleter : IArgumentCompleter
{
    internal static readonly (string Name, string Tip)[] Precisions =
    [
        ("fp32", "32-bit float: reference numbers, any device"),
        ("bf16", "bfloat16 weights and activations: half the memory, small score drift"),
        ("fp16", "float16: fastest on CUDA, not recommended on CPU"),
    ];

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Completions.Matching(Precisions, wordToComplete);
}

internal static class Completions
{
    public static IEnumerable<CompletionResult> Matching((string Name, string Tip)[] choices, string? word)
    {
        string prefix = (word ?? "").Trim('\'', '"');
        foreach (var (name, tip) in choices)
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                yield return new CompletionResult(name, name, CompletionResultType.ParameterValue, tip);
    }
}
