using System.Management.Automation;
using SparseViT.Forensics.Calibration;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Turns -Calibration (or the file beside the checkpoint) into the model's calibration, and a file that cannot be
/// used into a terminating ErrorRecord: applying another checkpoint's thresholds would make every verdict wrong.
/// </summary>
internal static class CalibrationParameter
{
    public static ScoreCalibration? Resolve(PSCmdlet cmdlet, LoadedModel model, string? calibration)
    {
        string? path = string.IsNullOrWhiteSpace(calibration) ? null : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(calibration);
        try
        {
            var found = CalibrationFile.ForCheckpoint(model.CheckpointPath, model.CheckpointSha256, path);
            cmdlet.WriteVerbose(found is null
                ? $"No calibration for {model.Name} (looked for {CalibrationFile.BesidePath(model.CheckpointPath)}): uncalibrated, so the map alone makes an image at most suspicious."
                : $"Calibration {found.FilePath}: image score {found.ScoreFunction.Name()}, manipulated above {found.Manipulated.Threshold}, suspicious above {found.Suspicious.Threshold}.");
            return found;
        }
        catch (CalibrationException e)
        {
            var error = new ErrorRecord(e, e.IsCheckpointMismatch ? "CalibrationMismatch" : "CalibrationInvalid",
                ErrorCategory.InvalidData, path ?? CalibrationFile.BesidePath(model.CheckpointPath))
            {
                ErrorDetails = new ErrorDetails(e.Message) { RecommendedAction = "Calibrate this checkpoint with New-ManipulationCalibration, or pass the -Calibration file made for it." },
            };
            cmdlet.ThrowTerminatingError(error);
            throw; // unreachable: ThrowTerminatingError always throws
        }
    }
}
