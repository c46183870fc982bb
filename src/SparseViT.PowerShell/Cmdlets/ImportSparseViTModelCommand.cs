using System.Management.Automation;
using SparseViT.PowerShell.Completion;
using SparseViT.PowerShell.Validation;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Loads a checkpoint once for the session (cached by full path, device and precision) and returns it for -Model.
/// Importing the same checkpoint again returns the cached model; -Force reloads it from disk.
/// </summary>
[Cmdlet(VerbsData.Import, "SparseViTModel")]
[OutputType(typeof(LoadedModel))]
public sealed class ImportSparseViTModelCommand : SparseViTCmdlet
{
    /// <summary>Default: $env:SPARSEVIT_CHECKPOINT, then checkpoints/ beside the module, then the shipped one.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "Path")]
    [ValidateNotNullOrEmpty]
    public string? Checkpoint { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidatePattern(@"^(auto|cpu|cuda(:\d+)?)$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string Device { get; set; } = "auto";

    [Parameter]
    [ArgumentCompleter(typeof(PrecisionCompleter))]
    [ValidatePrecision]
    public string Precision { get; set; } = "fp32";

    /// <summary>torch, onnx or auto (ONNX Runtime on CPU at fp32, TorchSharp on CUDA).</summary>
    [Parameter]
    [ValidateSet("auto", "torch", "onnx", IgnoreCase = true)]
    public string Backend { get; set; } = "auto";

    /// <summary>Reload even when the model is cached (e.g. the checkpoint file was replaced).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord() =>
        WriteObject(ModelParameters.Resolve(this, null, Checkpoint, Device, Precision, Backend, reload: Force.IsPresent));
}
