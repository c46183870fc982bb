using System.Management.Automation;
using SparseViT.Forensics.Calibration;
using SparseViT.PowerShell.Completion;
using SparseViT.PowerShell.Validation;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Calibrates a checkpoint's verdicts on known authentic and known manipulated images (as `sparsevit calibrate`): picks
/// the image score that separates them best, sets the manipulated and suspicious thresholds at target false-positive
/// rates, and writes them with the measured rates to a file bound to the checkpoint's SHA-256 — by default beside the
/// checkpoint, where Test-ImageManipulation finds it. Outputs the calibration.
/// </summary>
[Cmdlet(VerbsCommon.New, "ManipulationCalibration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = CheckpointSet)]
[OutputType(typeof(ScoreCalibration))]
public sealed class NewManipulationCalibrationCommand : SparseViTCmdlet
{
    private const string CheckpointSet = "Checkpoint";
    private const string ModelSet = "Model";
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Folders of untouched images (searched recursively).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] AuthenticPath { get; set; } = [];

    /// <summary>Folders of known edits: Tp/ + Gt/ (an all-black mask counts as authentic) or plain folders.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string[] ManipulatedPath { get; set; } = [];

    [Parameter(ParameterSetName = CheckpointSet)]
    [ValidateNotNullOrEmpty]
    public string? Checkpoint { get; set; }

    [Parameter(ParameterSetName = CheckpointSet)]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidatePattern(@"^(auto|cpu|cuda(:\d+)?)$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string Device { get; set; } = "auto";

    [Parameter(ParameterSetName = CheckpointSet)]
    [ArgumentCompleter(typeof(PrecisionCompleter))]
    [ValidatePrecision]
    public string Precision { get; set; } = "fp32";

    /// <summary>torch, onnx or auto (ONNX Runtime on CPU at fp32, TorchSharp on CUDA).</summary>
    [Parameter(ParameterSetName = CheckpointSet)]
    [ValidateSet("auto", "torch", "onnx", IgnoreCase = true)]
    public string Backend { get; set; } = "auto";

    [Parameter(Mandatory = true, ParameterSetName = ModelSet)]
    [ValidateNotNull]
    public LoadedModel? Model { get; set; }

    /// <summary>File to write; default: &lt;checkpoint name&gt;.calibration.json beside the checkpoint.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    [Parameter]
    [ValidateRange(1e-6, 0.5)]
    public double ManipulatedFalsePositiveRate { get; set; } = 0.01;

    [Parameter]
    [ValidateRange(1e-6, 0.5)]
    public double SuspiciousFalsePositiveRate { get; set; } = 0.05;

    /// <summary>auto (the best AUC on this data) or a fixed image score.</summary>
    [Parameter]
    [ValidateSet("auto", "max", "p99", "top-mean", "manipulated-fraction")]
    public string ScoreFunction { get; set; } = "auto";

    [Parameter]
    [ValidateRange(1, 256)]
    public int BatchSize { get; set; } = 4;

    /// <summary>Replace an existing calibration file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void EndProcessing()
    {
        if (SuspiciousFalsePositiveRate < ManipulatedFalsePositiveRate)
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"-SuspiciousFalsePositiveRate ({SuspiciousFalsePositiveRate}) must be at least -ManipulatedFalsePositiveRate ({ManipulatedFalsePositiveRate}): suspicious is the lower bar."),
                "InvalidFalsePositiveRates", ErrorCategory.InvalidArgument, SuspiciousFalsePositiveRate));
        CalibrationSet set;
        try
        {
            set = new CalibrationSet(AuthenticPath.Select(p => ResolveOptionalPath(p)!).ToArray(), ManipulatedPath.Select(p => ResolveOptionalPath(p)!).ToArray());
        }
        catch (DirectoryNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "CalibrationFolderNotFound", ErrorCategory.ObjectNotFound, null));
            return;
        }
        var model = ModelParameters.Resolve(this, Model, Checkpoint, Device, Precision, Backend);
        string target = ResolveOptionalPath(OutFile) ?? CalibrationFile.BesidePath(model.CheckpointPath);
        if (File.Exists(target) && !Force)
            ThrowTerminatingError(new ErrorRecord(new IOException($"The file '{target}' already exists; use -Force to replace it."), "CalibrationFileExists", ErrorCategory.ResourceExists, target));
        int known = set.Images.Count(i => i.Manipulated);
        if (!ShouldProcess(target, $"Calibrate {model.Name} on {set.Images.Count - known} authentic and {known} manipulated images and write the calibration")) return;

        foreach (var (path, problem) in set.Unknown)
            WriteWarning($"Left out {path}: {problem}.");
        int done = 0;
        var run = new CalibrationRun(model.Predictor, BatchSize)
        {
            Scored = (record, _) =>
            {
                done++;
                if (record.Error is { } e) WriteWarning($"Left out {record.Path}: {e.Code}: {e.Message}.");
                WriteProgress(new ProgressRecord(4, "New-ManipulationCalibration", $"{done} of {set.Images.Count} images scored")
                {
                    PercentComplete = set.Images.Count == 0 ? 0 : 100 * done / set.Images.Count,
                    CurrentOperation = System.IO.Path.GetFileName(record.Path),
                });
            },
        };
        ScoreCalibration calibration;
        try
        {
            calibration = run.Run(set, new CalibrationTargets
            {
                ManipulatedFalsePositiveRate = ManipulatedFalsePositiveRate,
                SuspiciousFalsePositiveRate = SuspiciousFalsePositiveRate,
                ScoreFunction = ScoreFunction == "auto" ? null : ImageScoreFunctions.TryParse(ScoreFunction, out var f) ? f : null,
            }, "SparseViT.Automation " + typeof(NewManipulationCalibrationCommand).Assembly.GetName().Version, _stop.Token);
        }
        catch (ArgumentException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "CalibrationDataInsufficient", ErrorCategory.InvalidData, null));
            return;
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            WriteProgress(new ProgressRecord(4, "New-ManipulationCalibration", "done") { RecordType = ProgressRecordType.Completed });
        }
        try
        {
            CalibrationFile.Save(calibration, target);
        }
        catch (IOException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "CalibrationFileNotWritten", ErrorCategory.WriteError, target));
        }
        WriteObject(CalibrationFile.Load(target, model.CheckpointSha256));
    }

    protected override void StopProcessing() => _stop.Cancel();
}
