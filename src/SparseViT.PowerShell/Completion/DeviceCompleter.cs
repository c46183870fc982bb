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
