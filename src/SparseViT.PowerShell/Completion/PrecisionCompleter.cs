using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace SparseViT.PowerShell.Completion;

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
