using System.Management.Automation;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Reports;
using SparseViT.Forensics.Writers;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Writes results from Test-ImageManipulation / Get-ImageForensicMetadata as the library's JSON, JSON Lines or
/// CSV report. Records are collected and written in EndProcessing through the library writers (atomic for Json and
/// Csv), so a stopped pipeline never leaves a half-written report and -WhatIf can name the exact count.
/// </summary>
[Cmdlet(VerbsData.Export, "ForensicReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FileInfo))]
public sealed class ExportForensicReportCommand : SparseViTCmdlet
{
    private readonly List<ForensicRecord> _records = [];

    /// <summary>ImageManipulationResult or ForensicRecord objects.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [AllowNull]
    public PSObject? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Default: from the extension (.json, .jsonl/.ndjson, .csv, .html, .sarif, .xml for JUnit).</summary>
    [Parameter]
    [ValidateSet("Json", "Jsonl", "Csv", "Html", "Sarif", "JUnit", IgnoreCase = true)]
    public string? Format { get; set; }

    /// <summary>Html/Sarif/JUnit: the verdict at which a record counts as a failure (JUnit) or an error-level result (SARIF).</summary>
    [Parameter]
    [ValidateSet("manipulated", "suspicious", "error", "never", IgnoreCase = true)]
    public string FailOn { get; set; } = "manipulated";

    /// <summary>Jsonl only: add to an existing report (resume) instead of replacing it.</summary>
    [Parameter]
    public SwitchParameter Append { get; set; }

    /// <summary>Replace an existing file and create missing folders.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        switch (InputObject?.BaseObject)
        {
            case null:
                return;
            case ImageManipulationResult result:
                _records.Add(result.Source);
                return;
            case ForensicRecord record:
                _records.Add(record);
                return;
            default:
                WriteError(new ErrorRecord(
                    new ArgumentException($"Export-ForensicReport takes the output of Test-ImageManipulation or Get-ImageForensicMetadata, not {InputObject.BaseObject.GetType().FullName}."),
                    "InvalidInputObject", ErrorCategory.InvalidType, InputObject));
                return;
        }
    }

    protected override void EndProcessing()
    {
        string target = ResolveOptionalPath(Path)!;
        string? format = Format?.ToLowerInvariant() ?? RecordWriterFactory.FormatFromExtension(target);
        if (format is null)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException($"Cannot tell the report format from '{System.IO.Path.GetFileName(target)}'; use -Format Json, Jsonl, Csv, Html, Sarif or JUnit."),
                "FormatNotDetermined", ErrorCategory.InvalidArgument, Path));
        }
        if (Append && format != "jsonl")
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("-Append works with -Format Jsonl only; the other formats are always replaced whole."),
                "AppendRequiresJsonl", ErrorCategory.InvalidArgument, Path));
        }
        if (Directory.Exists(target))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"'{target}' is a directory."), "PathIsDirectory", ErrorCategory.InvalidArgument, target));
        }
        if (File.Exists(target) && !Append && !Force)
        {
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"The file '{target}' already exists; use -Force to replace it{(format == "jsonl" ? " or -Append to add to it" : "")}."),
                "ReportExists", ErrorCategory.ResourceExists, target));
        }

        string action = $"Write {_records.Count} forensic record(s) as {format}{(Append ? " (append)" : "")}";
        if (!ShouldProcess(target, action)) return;

        string? folder = System.IO.Path.GetDirectoryName(target);
        try
        {
            if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
            {
                if (!Force)
                    ThrowTerminatingError(new ErrorRecord(new DirectoryNotFoundException($"The folder '{folder}' does not exist; use -Force to create it."),
                        "ReportFolderNotFound", ErrorCategory.ObjectNotFound, folder));
                Directory.CreateDirectory(folder);
            }
            var run = new ReportRun { ToolVersion = typeof(ExportForensicReportCommand).Assembly.GetName().Version?.ToString(3) ?? "0.0.0", FailOn = FailOn.ToLowerInvariant() };
            using (var writer = RecordWriterFactory.Create(format!, target, Append, run))
            {
                foreach (var record in _records) writer.Write(record);
                writer.Complete();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(new ErrorRecord(e, "ReportWriteFailed",
                e is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError, target));
        }
        WriteVerbose($"Wrote {_records.Count} record(s) to {target}.");
        if (PassThru) WriteObject(new FileInfo(target));
    }
}
