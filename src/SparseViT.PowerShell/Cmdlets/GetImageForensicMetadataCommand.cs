using System.Diagnostics;
using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Records;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Metadata and metadata indicators without the model: the same record type as a scan, built by the same
/// <see cref="RecordBuilder"/> with no probability map, so verdicts rest on the indicators alone and the output
/// can go to Export-ForensicReport unchanged.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ImageForensicMetadata", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ImageManipulationResult))]
public sealed class GetImageForensicMetadataCommand : SparseViTCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    internal const string MetadataTypeName = "SparseViT.PowerShell.ImageForensicMetadata";

    private readonly EvidenceAnalyzer _analyzer = new();
    private readonly RecordBuilder _builder = new(model: null);
    private int _done;

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP", "FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? LiteralPath { get; set; }

    /// <summary>PEM trust anchors for C2PA (Content Credentials) signers; without them signers are verified but untrusted.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? C2paTrust { get; set; }

    private X509Certificate2Collection? _c2paTrust;

    protected override void BeginProcessing() => _c2paTrust = C2paTrustParameter.Resolve(this, C2paTrust);

    protected override void ProcessRecord()
    {
        bool literal = ParameterSetName == LiteralPathSet;
        foreach (string file in ResolveFiles(literal ? LiteralPath : Path, literal))
        {
            WriteProgress(new ProgressRecord(2, "Get-ImageForensicMetadata", $"{_done} images read") { CurrentOperation = System.IO.Path.GetFileName(file) });
            var record = Read(file, out var error);
            _done++;
            if (error is not null) { WriteError(error); continue; }
            var result = PSObject.AsPSObject(new ImageManipulationResult(record!));
            // First type name selects the metadata table view; the scan type stays in the chain for types.ps1xml.
            result.TypeNames.Insert(0, MetadataTypeName);
            WriteObject(result);
        }
    }

    protected override void EndProcessing() =>
        WriteProgress(new ProgressRecord(2, "Get-ImageForensicMetadata", $"{_done} images read") { RecordType = ProgressRecordType.Completed });

    private ForensicRecord? Read(string file, out ErrorRecord? error)
    {
        error = null;
        var watch = Stopwatch.StartNew();
        try
        {
            byte[] bytes = File.ReadAllBytes(file);
            // Decoded, not just probed: the thumbnail indicator compares the EXIF thumbnail with the pixels.
            var decoded = ImageDecoder.Decode(bytes, file);
            var metadata = MetadataReader.Read(bytes, file, _c2paTrust);
            var indicators = _analyzer.Analyze(EvidenceContext.From(file, metadata, decoded.Image));
            var info = ImageFileInfo.FromBytes(file, bytes, decoded.Format, decoded.Width, decoded.Height);
            return _builder.Build(info, metadata, indicators, map: null, timings: new RecordTimings(TotalMs: watch.Elapsed.TotalMilliseconds));
        }
        catch (ImageDecodeException e)
        {
            error = Errors.ScanFailed(file, e.Code, e.Message);
        }
        catch (FileNotFoundException e)
        {
            error = Errors.ScanFailed(file, RecordErrorCodes.NotFound, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = Errors.ScanFailed(file, RecordErrorCodes.Unreadable, e.Message);
        }
        return null;
    }
}
