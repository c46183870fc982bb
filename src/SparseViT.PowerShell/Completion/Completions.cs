using System.Management.Automation;

namespace SparseViT.PowerShell.Completion;

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
