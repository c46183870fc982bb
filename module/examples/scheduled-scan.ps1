#Requires -Version 7.4
<#
.SYNOPSIS
    Scans a folder of images and fails when it finds manipulation: for cron, a systemd timer or a CI job.
.DESCRIPTION
    Writes a CSV report of this scan and appends every record to reports/history.jsonl beside it.
    Exit codes: 0 nothing found, 1 an image is manipulated or suspicious, 2 some files could not be scanned
    (and nothing was found), 3 the scan could not run at all (no module, no model, unreadable folder).
.EXAMPLE
    pwsh -NoProfile -File ./scheduled-scan.ps1 -Folder ./uploads
#>
param(
    [string] $Folder = './incoming',
    [string] $Checkpoint = $env:SPARSEVIT_CHECKPOINT,
    [string] $Report = "./reports/scan-$(Get-Date -Format yyyyMMdd-HHmmss).csv"
)
$ErrorActionPreference = 'Stop'
try {
    Import-Module SparseViT.Automation
    $reports = Split-Path -Parent ([IO.Path]::GetFullPath($Report))
    $null = New-Item -ItemType Directory -Path $reports -Force

    $scan = @{ ErrorVariable = 'scanErrors'; ErrorAction = 'SilentlyContinue' }
    if ($Checkpoint) { $scan.Checkpoint = $Checkpoint }
    $results = @(Get-ChildItem -LiteralPath $Folder -Recurse -File -Include (Get-SparseViTImageFormat).Include | Test-ImageManipulation @scan)

    $results | Export-ForensicReport $Report -Force
    $results | Export-ForensicReport (Join-Path $reports 'history.jsonl') -Append   # one growing log of every scan
}
catch {
    Write-Error "scan could not run: $_" -ErrorAction Continue
    exit 3
}

$findings = @($results | Where-Object Verdict -in 'manipulated', 'suspicious')
$findings | Format-Table Name, Verdict, Score, ManipulatedFraction, Indicators -AutoSize | Out-String | Write-Host
foreach ($e in $scanErrors) { Write-Warning "$($e.TargetObject): $($e.FullyQualifiedErrorId)" }

if ($findings.Count -gt 0) { Write-Host "$($findings.Count) of $($results.Count) images flagged; report: $Report"; exit 1 }
if ($scanErrors.Count -gt 0) { Write-Host "$($scanErrors.Count) file(s) could not be scanned; report: $Report"; exit 2 }
Write-Host "$($results.Count) images, nothing found; report: $Report"
exit 0
