using System.Management.Automation;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Scanning;
using SparseViT.PowerShell.Completion;
using SparseViT.PowerShell.Validation;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Runs SparseViT over image files and writes one <see cref="ImageManipulationResult"/> per file. Pipeline input is
/// buffered into batches of -BatchSize so the model runs batched; each batch's records are written as soon as they
/// come out of the scan, and the last partial batch is flushed in EndProcessing.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "ImageManipulation", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ImageManipulationResult))]
public sealed class TestImageManipulationCommand : SparseViTCmdlet, IDisposable
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string ModelPathSet = "ModelPath";
    private const string ModelLiteralPathSet = "ModelLiteralPath";

    private readonly List<string> _batch = [];
    private readonly CancellationTokenSource _stop = new();
    private LoadedModel? _model;
    private ImageScanner? _scanner;
    private string _location = "";
    private int _queued;
    private int _done;
    private int _failed;

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

    /// <summary>Checkpoint file; default: $env:SPARSEVIT_CHECKPOINT, then checkpoints/ beside the module, then the shipped one.</summary>
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

    /// <summary>A model from Import-SparseViTModel.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ModelPathSet)]
    [Parameter(Mandatory = true, ParameterSetName = ModelLiteralPathSet)]
    [ValidateNotNull]
    public LoadedModel? Model { get; set; }

    [Parameter]
    [ValidateRange(1, 256)]
    public int BatchSize { get; set; } = 4;

    /// <summary>Pixel probability at or above which a pixel counts as manipulated.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Threshold { get; set; } = 0.5;

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MaskDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OverlayDirectory { get; set; }

    /// <summary>
    /// Calibration file of the checkpoint (New-ManipulationCalibration); default: &lt;checkpoint name&gt;.calibration.json
    /// beside it. Without one the model is uncalibrated and its map alone makes an image at most suspicious.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Calibration { get; set; }

    /// <summary>PEM trust anchors for C2PA (Content Credentials) signers; without them signers are verified but untrusted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? C2paTrust { get; set; }

    /// <summary>Skip EXIF/XMP and the metadata indicators: model evidence only.</summary>
    [Parameter]
    public SwitchParameter SkipMetadata { get; set; }

    protected override void BeginProcessing()
    {
        _model = ModelParameters.Resolve(this, Model, Checkpoint, Device, Precision, Backend);
        var options = new ScanOptions
        {
            BatchSize = BatchSize,
            Threshold = Threshold,
            MasksDirectory = ResolveOptionalPath(MaskDirectory),
            OverlaysDirectory = ResolveOptionalPath(OverlayDirectory),
            SkipMetadata = SkipMetadata,
            Calibration = CalibrationParameter.Resolve(this, _model, Calibration),
            C2paTrust = C2paTrustParameter.Resolve(this, C2paTrust),
        };
        _scanner = new ImageScanner(_model.Predictor, options);
        _location = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
    }

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName is LiteralPathSet or ModelLiteralPathSet;
        foreach (string file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            _batch.Add(file);
            _queued++;
            if (_batch.Count >= BatchSize) Flush();
        }
    }

    protected override void EndProcessing()
    {
        Flush();
        WriteProgress(new ProgressRecord(1, Activity, $"{_done} of {_queued} images") { RecordType = ProgressRecordType.Completed });
        if (_failed > 0) WriteVerbose($"{_failed} of {_queued} images could not be scanned; see the error stream.");
    }

    protected override void StopProcessing() => _stop.Cancel();

    public void Dispose() => _stop.Dispose();

    private const string Activity = "Test-ImageManipulation";

    private void Flush()
    {
        if (_batch.Count == 0 || _scanner is null || _model is null) return;
        // Items, not strings: the scanner's string overload expands globs, and -LiteralPath names must stay literal.
        ScanItem[] items = [.. _batch.Select(path => ScanItem.From(path, ArtifactName(path)))];
        _batch.Clear();
        ReportProgress(items[0].Path);
        try
        {
            foreach (var record in _scanner.Scan(items, _stop.Token))
            {
                _done++;
                Emit(record);
                ReportProgress(record.Path);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Ctrl+C: StopProcessing cancelled the scan; PowerShell ends the pipeline itself.
            throw new PipelineStoppedException();
        }
    }

    private void Emit(ForensicRecord record)
    {
        if (record.Status == RecordStatus.Error)
        {
            _failed++;
            WriteError(Errors.ScanFailed(record.Path, record.Error?.Code, record.Error?.Message ?? "the image could not be scanned", record.Error?.Cause));
            return;
        }
        WriteObject(new ImageManipulationResult(record));
    }

    /// <summary>
    /// Masks and overlays mirror the path below the current location (so same-named files from different folders do
    /// not collide), or use the bare file name for files elsewhere.
    /// </summary>
    private string ArtifactName(string path)
    {
        string relative = System.IO.Path.GetRelativePath(_location, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative) ? System.IO.Path.GetFileName(path) : relative;
    }

    private void ReportProgress(string current)
    {
        // The total grows while the pipeline feeds us, so the percentage is of the files seen so far.
        int percent = _queued == 0 ? 0 : Math.Min(100, _done * 100 / _queued);
        WriteProgress(new ProgressRecord(1, Activity, $"{_done} of {_queued} images")
        {
            CurrentOperation = System.IO.Path.GetFileName(current),
            PercentComplete = percent,
        });
    }
}
