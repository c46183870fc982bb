#Requires -Version 7.4
<#
.SYNOPSIS
    Runs (or only discovers) the module's Pester specs in this real pwsh and writes one JSON row per test.
.DESCRIPTION
    Called by the xunit bridge (PesterSpecs.cs), so `dotnet test` reports every Pester test by name, and by
    build.ps1 -Test. The module under test is $env:SPARSEVIT_MODULE (the assembled module folder's manifest).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultPath,
    [switch] $DiscoverOnly,
    [string[]] $Path = @($PSScriptRoot)
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterManifest -MinimumVersion 6.2.0 -Force

$configuration = New-PesterConfiguration
$configuration.Run.Path = $Path
$configuration.Run.PassThru = $true
$configuration.Run.SkipRun = $DiscoverOnly.IsPresent
$configuration.Output.Verbosity = if ($DiscoverOnly) { 'None' } else { 'Normal' }
$result = Invoke-Pester -Configuration $configuration

# Names are expanded here from each test's data, the same way in discovery and in a run, so the xunit bridge can match
# a discovered case to its result (Pester itself expands <templates> only when a test runs).
function Expand-Name([string] $Template, $Data) {
    [regex]::Replace($Template, '<([^>]+)>', {
        param($match)
        $key = $match.Groups[1].Value
        if ($key -eq '_') { "$Data" }
        elseif ($Data -is [System.Collections.IDictionary] -and $Data.Contains($key)) { "$($Data[$key])" }
        else { $match.Value }
    })
}

$rows = @(foreach ($test in $result.Tests) {
    $blocks = @($test.Path | Select-Object -SkipLast 1) -join '.'
    [ordered]@{
        name = "$([IO.Path]::GetFileName($test.ScriptBlock.File)): $blocks.$(Expand-Name $test.Name $test.Data)"
        result = "$($test.Result)"
        seconds = [math]::Round($test.Duration.TotalSeconds, 3)
        error = (@($test.ErrorRecord | ForEach-Object { "$_`n$($_.ScriptStackTrace)" }) -join "`n")
    }
})
# Failures outside any It (a BeforeAll that threw, a file that does not parse) are reported as their own rows.
foreach ($container in @($result.Containers | Where-Object Result -eq 'Failed')) {
    foreach ($e in @($container.ErrorRecord)) {
        $rows += [ordered]@{ name = "$($container.Item) (container)"; result = 'Failed'; seconds = 0; error = "$e`n$($e.ScriptStackTrace)" }
    }
}
ConvertTo-Json -InputObject $rows -Depth 3 | Set-Content -LiteralPath $ResultPath -Encoding utf8NoBOM
exit 0
