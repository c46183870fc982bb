using System.Management.Automation;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Metrics;
using SparseViT.PowerShell.Completion;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Evaluates the model against ground-truth masks with the forensics library's metrics. Maps are compared at the
/// original image size (the resize the authors' evaluation uses); the image-level score is the map's maximum, the
/// same number records report as Score.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "ManipulationAccuracy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ManipulationAccuracy), typeof(ImageAccuracy))]
public sealed class MeasureManipulationAccuracyCommand : SparseViTCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ModelPathSet = "ModelPath";
    private const string ModelLiteralPathSet = "ModelLiteralPath";

    private readonly List<PixelMetrics> _pixel = [];
    private readonly List<ImageScore> _images = [];
    private volatile bool _stopping;
    private SparseViTModel? _model;
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
    [ValidateNotNullOrEmpty]
    public string Device { get; set; } = "auto";

    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [ArgumentCompleter(typeof(PrecisionCompleter))]
    [ValidateNotNullOrEmpty]
    public string Precision { get; set; } = "fp32";

    [Parameter(Mandatory = true, ParameterSetName = ModelPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = ModelLiteralPathSet)]
    [ValidateNotNull]
    public SparseViTModel? Model { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    [Parameter]
    public SwitchParameter PerImage { get; set; }

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
        _model = ModelParameters.Resolve(this, Model, Checkpoint, Device, Precision);
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName is LiteralPathSet or ModelLiteralPathSet;
        foreach (string file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            if (_stopping) throw new PipelineStoppedException();
            WriteProgress(new ProgressRecord(3, "Measure-ManipulationAccuracy", $"{_images.Count} images measured") { CurrentOperation = System.IO.Path.GetFileName(file) });
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
        WriteProgress(new ProgressRecord(3, "Measure-ManipulationAccuracy", $"{_images.Count} images measured") { RecordType = ProgressRecordType.Completed });
        if (_images.Count == 0)
        {
            WriteError(new ErrorRecord(new InvalidOperationException("No image could be measured."), "NothingMeasured", ErrorCategory.InvalidData, GroundTruth));
            return;
        }
        var pixel = PixelMetricsSummary.Average(_pixel);
        var image = ImageLevelMetrics.Compute(_images, Threshold);
        WriteObject(new ManipulationAccuracy
        {
            Images = image.Images,
            ManipulatedImages = image.Manipulated,
            AuthenticImages = image.Authentic,
            PixelF1 = pixel.F1,
            InvariantF1 = pixel.InvariantF1,
            PixelIoU = pixel.IoU,
            PixelAccuracy = pixel.Accuracy,
            PixelAuc = pixel.Auc,
            ImageAuc = image.Auc,
            ImageAccuracy = image.Accuracy,
            ImageF1 = image.F1,
            Threshold = Threshold,
            Model = _model!.Name,
            CheckpointSha256 = _model.CheckpointSha256,
            Device = _model.Device,
        });
    }

    // One image per ProcessRecord step is short (well under a second for the shipped models), so checking a flag
    // between images is prompt enough.
    protected override void StopProcessing() => _stopping = true;

    private void Measure(string file, string mask)
    {
        try
        {
            var evaluation = ImageEvaluation.Measure(_model!.Predictor, file, mask, Threshold);
            var metrics = evaluation.Pixel!;
            _pixel.Add(metrics);
            _images.Add(evaluation.ToImageScore());
            if (PerImage)
                WriteObject(new ImageAccuracy
                {
                    Path = file,
                    Name = System.IO.Path.GetFileName(file),
                    GroundTruth = mask,
                    F1 = metrics.F1,
                    InvariantF1 = metrics.InvariantF1,
                    IoU = metrics.IoU,
                    Accuracy = metrics.Accuracy,
                    Auc = metrics.Auc,
                    Score = evaluation.Score,
                    IsManipulated = evaluation.IsManipulated,
                });
        }
        catch (GroundTruthSizeMismatchException e)
        {
            WriteError(new ErrorRecord(e, "GroundTruthSizeMismatch", ErrorCategory.InvalidData, file));
        }
        catch (ImageDecodeException e)
        {
            WriteError(Errors.ScanFailed(file, e.Code, e.Message));
        }
        catch (ModelOutputException e)
        {
            WriteError(Errors.ScanFailed(file, RecordErrorCodes.ModelOutputNotFinite, e.Message));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            WriteError(new ErrorRecord(e, "GroundTruthUnreadable", ErrorCategory.ReadError, mask));
        }
    }
}
