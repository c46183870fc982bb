using System.Management.Automation;
using SparseViT.PowerShell.Completion;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>Lists the models loaded in this session, optionally filtered by checkpoint path (wildcards) or device.</summary>
[Cmdlet(VerbsCommon.Get, "SparseViTModel")]
[OutputType(typeof(LoadedModel))]
public sealed class GetSparseViTModelCommand : SparseViTCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Checkpoint { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidatePattern(@"^(auto|cpu|cuda(:\d+)?)$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string? Device { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Checkpoint?.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToArray();
        foreach (var model in ModelCache.Loaded)
        {
            if (Device is not null && !string.Equals(model.Device, Device, StringComparison.OrdinalIgnoreCase)) continue;
            if (patterns is not null && !patterns.Any(p => p.IsMatch(model.CheckpointPath) || p.IsMatch(System.IO.Path.GetFileName(model.CheckpointPath)))) continue;
            WriteObject(model);
        }
    }
}
