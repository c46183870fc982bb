using System.Management.Automation;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>Placeholder surface; the writer integration lands with the forensics writers.</summary>
[Cmdlet(VerbsData.Export, "ForensicReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class ExportForensicReportCommand : SparseViTCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    [Parameter(Mandatory = true, Position = 0)]
    public string Path { get; set; } = "";

    protected override void EndProcessing()
    {
        string target = ResolveOptionalPath(Path)!;
        if (!ShouldProcess(target, "Write forensic report")) return;
    }
}
