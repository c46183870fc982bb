using System.Management.Automation;
using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Native;
using SparseViT.Forensics.Models;
using SparseViT.PowerShell.Hosting;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Turns -Checkpoint/-Device/-Precision (or -Model) into a cached model, and model-loading failures into
/// terminating ErrorRecords with stable ids: without a model no input can be scanned, so going on would only
/// repeat the same error once per file.
/// </summary>
internal static class ModelParameters
{
    public static LoadedModel Resolve(PSCmdlet cmdlet, LoadedModel? model, string? checkpoint, string? device, string? precision, string? backend = null, bool reload = false)
    {
        if (model is not null) return model;
        string? explicitPath = string.IsNullOrWhiteSpace(checkpoint) ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(checkpoint);
        string? resolved = null;
        try
        {
            var found = CheckpointResolver.Resolve(explicitPath, ModuleAssemblyLoader.ModuleDirectory,
                workingDirectory: cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            resolved = found.Path;
            var parsedPrecision = string.IsNullOrWhiteSpace(precision) ? Precision.Fp32 : PrecisionNames.Parse(precision);
            cmdlet.WriteVerbose($"Using checkpoint {resolved} ({found.Source}) on {device ?? "auto"} ({parsedPrecision.ToName()}).");
            var parsedBackend = string.IsNullOrWhiteSpace(backend) ? InferenceBackend.Auto : InferenceBackends.Parse(backend);
            var result = ModelCache.GetOrLoad(resolved, device, parsedPrecision, parsedBackend, reload, out bool loaded);
            cmdlet.WriteVerbose(loaded
                ? $"Loaded {result.Name}: {result.Parameters:N0} parameters on {result.Device} ({result.Backend} backend) in {result.LoadTime.TotalSeconds:0.0} s."
                : $"Reusing {result.Name} loaded at {result.LoadedAt:T}.");
            return result;
        }
        catch (Exception e) when (ToErrorRecord(e, resolved ?? explicitPath ?? checkpoint) is { } error)
        {
            cmdlet.ThrowTerminatingError(error);
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }

    public static ErrorRecord? ToErrorRecord(Exception e, string? target) => e switch
    {
        CheckpointNotFoundException => new ErrorRecord(e, "CheckpointNotFound", ErrorCategory.ObjectNotFound, target)
        {
            ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Pass -Checkpoint <file>, or set SPARSEVIT_CHECKPOINT for the session." },
        },
        CheckpointException c => new ErrorRecord(e, string.IsNullOrEmpty(c.Code) ? "CheckpointInvalid" : c.Code, ErrorCategory.InvalidData, c.Path ?? target),
        FileNotFoundException or DirectoryNotFoundException => new ErrorRecord(e, "CheckpointNotFound", ErrorCategory.ObjectNotFound, target),
        NativeRuntimeException => new ErrorRecord(e, "NativeRuntimeUnavailable", ErrorCategory.ResourceUnavailable, target),
        DeviceUnavailableException => new ErrorRecord(e, "DeviceUnavailable", ErrorCategory.ResourceUnavailable, target),
        ArgumentException => new ErrorRecord(e, "InvalidModelArgument", ErrorCategory.InvalidArgument, target),
        UnauthorizedAccessException => new ErrorRecord(e, "CheckpointAccessDenied", ErrorCategory.PermissionDenied, target),
        IOException => new ErrorRecord(e, "CheckpointUnreadable", ErrorCategory.ReadError, target),
        _ => null,
    };
}
