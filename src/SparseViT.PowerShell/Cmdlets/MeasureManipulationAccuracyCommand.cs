using System.Management.Automation;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Metrics;
using SparseViT.Forensics.Records;
using SparseViT.PowerShell.Completion;
using SparseViT.PowerShell.Validation;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Evaluates the model against ground-truth masks with the forensics library's metrics. Maps are compared at the
/// original image size (the resize the authors' evaluation uses) on manipulated images; authentic images (an all-black
/// mask, or -AuthenticPath) count at image level. The image score is the calibration's (the number records report as
/// ImageScore), or the map's maximum for an uncalibrated model.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "ManipulationAccuracy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ManipulationAccuracy), typeof(ImageAccuracy))]
public sealed class MeasureManipulationAccuracyCommand : SparseViTCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ModelPathSet = "ModelPath";
    private const string ModelLiteralPathSet = "ModelLiteralPath";

    private EvaluationReportBuilder? _report;
    private volatile bool _stopping;
    private LoadedModel? _model;
    private GroundTruthFolder? _masks;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ModelPathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Parameter(Mandatory = true, ParameterSetName = ModelLiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>Folder of masks named like the images (sample_1.jpg ↔ sample_1.png).</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string GroundTruth { get; set; } = "";

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateNotNullOrEmpty]
    public string? Checkpoint { get; set; }

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    [ValidatePattern(@"^(auto|cpu|cuda(:\d+)?)$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string Device { get; set; } = "auto";

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ArgumentCompleter(typeof(PrecisionCompleter))]
    [ValidatePrecision]
    public string Precision { get; set; } = "fp32";

    /// <summary>torch, onnx or auto (ONNX Runtime on CPU at fp32, TorchSharp on CUDA).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ValidateSet("auto", "torch", "onnx", IgnoreCase = true)]
    public string Backend { get; set; } = "auto";

    [Parameter(Mandatory = true, ParameterSetName = ModelPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = ModelLiteralPathSet)]
    [ValidateNotNull]
    public LoadedModel? Model { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    [Parameter]
    public SwitchParameter PerImage { get; set; }

    /// <summary>Untouched images without masks (files or folders, searched recursively), measured as authentic.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AuthenticPath { get; set; }

    /// <summary>Calibration file of the checkpoint; default: the one beside it, if any.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Calibration { get; set; }

    protected override void BeginProcessing()
    {
        string folder = ResolveOptionalPath(GroundTruth)!;
        try
        {
            _masks = new GroundTruthFolder(folder);
        }
        catch (DirectoryNotFoundException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "GroundTruthFolderNotFound", ErrorCategory.ObjectNotFound, folder));
        }
        _model = ModelParameters.Resolve(this, Model, Checkpoint, Device, Precision, Backend);
        _report = new EvaluationReportBuilder(_model.Predictor.Description, Threshold, CalibrationParameter.Resolve(this, _model, Calibration));
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName is LiteralPathSet or ModelLiteralPathSet;
        foreach (string file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            if (_stopping) throw new PipelineStoppedException();
            WriteProgress(new ProgressRecord(3, "Measure-ManipulationAccuracy", $"{_report!.Measured} images measured") { CurrentOperation = System.IO.Path.GetFileName(file) });
            string? mask = _masks!.FindMask(file);
            if (mask is null)
            {
                WriteError(new ErrorRecord(new FileNotFoundException($"No ground-truth mask named like '{System.IO.Path.GetFileName(file)}' in '{_masks.Folder}'."),
                    "GroundTruthNotFound", ErrorCategory.ObjectNotFound, file));
                continue;
            }
            Measure(file, mask);
        }
    }

    protected override void EndProcessing()
    {
        if (AuthenticPath is { Length: > 0 })
        {
            var folders = AuthenticPath.Select(p => SessionState.Path.GetUnresolvedProviderPathFromPSPath(p)).ToArray();
            foreach (var item in Forensics.Scanning.FileEnumerator.Enumerate(folders, new Forensics.Scanning.ScanEnumerationOptions { Recurse = true }))
            {
                if (_stopping) throw new PipelineStoppedException();
                if (!item.IsScannable)
                {
                    WriteError(new ErrorRecord(new IOException($"{item.Path}: {item.Problem}"), "AuthenticImageUnreadable", ErrorCategory.ReadError, item.Path));
                    continue;
                }
                Measure(item.Path, mask: null);
            }
        }
        WriteProgress(new ProgressRecord(3, "Measure-ManipulationAccuracy", $"{_report!.Measured} images measured") { RecordType = ProgressRecordType.Completed });
        if (_report.Measured == 0)
        {
            WriteError(new ErrorRecord(new InvalidOperationException("No image could be measured."), "NothingMeasured", ErrorCategory.InvalidData, GroundTruth));
            return;
        }
        WriteObject(ManipulationAccuracy.From(_report.Build()));
    }

    // One image per ProcessRecord step is short (well under a second for the shipped models), so checking a flag
    // between images is prompt enough.
    protected override void StopProcessing() => _stopping = true;

    private void Measure(string file, string? mask)
    {
        try
        {
            var row = _report!.Add(ImageEvaluation.Measure(_model!.Predictor, file, mask, Threshold));
            if (PerImage) WriteObject(ImageAccuracy.From(row));
        }
        catch (GroundTruthSizeMismatchException e)
        {
            WriteError(new ErrorRecord(e, "GroundTruthSizeMismatch", ErrorCategory.InvalidData, file));
        }
        catch (ImageDecodeException e)
        {
            WriteError(Errors.ScanFailed(file, RecordErrorCodes.DecodeFailed, e.Message, e.Code));
        }
        catch (ModelOutputException e)
        {
            WriteError(Errors.ScanFailed(file, RecordErrorCodes.ModelOutputNotFinite, e.Message, e.Code));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            WriteError(new ErrorRecord(e, "GroundTruthUnreadable", ErrorCategory.ReadError, mask ?? file));
        }
    }
}
