BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'The module''s dependencies load in its own AssemblyLoadContext' {
    It 'keeps TorchSharp, SkiaSharp and the engine out of the default context' {
        $null = Test-ImageManipulation -LiteralPath (Join-Path $Samples 'sample_3.jpg') -Checkpoint $Fixture -Device cpu
        foreach ($name in 'TorchSharp', 'SkiaSharp', 'MetadataExtractor', 'SparseViT.Engine', 'SparseViT.Forensics') {
            $loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq $name })
            $loaded.Count | Should -BeGreaterOrEqual 1 -Because "$name is used by a scan"
            foreach ($assembly in $loaded) {
                [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($assembly).Name | Should -Be 'SparseViT.Automation' -Because "$name must not be in the default context"
            }
        }
    }

    It 'works beside a module that loaded another CsvHelper first' {
        $env:SPARSEVIT_OTHER_CSVHELPER | Should -Exist
        $other = New-SpecFolder 'OtherModule'
        Set-Content -LiteralPath (Join-Path $other 'OtherModule.psm1') -Value @'
Add-Type -LiteralPath $env:SPARSEVIT_OTHER_CSVHELPER
function Get-OtherCsvHelperVersion { [CsvHelper.CsvWriter].Assembly.GetName().Version.ToString() }
'@
        $report = Join-Path $other 'report.csv'
        $script = Join-Path $other 'run.ps1'
        Set-Content -LiteralPath $script -Value @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $other 'OtherModule.psm1')'
`$theirs = Get-OtherCsvHelperVersion
Import-Module '$ModuleManifest'
Test-ImageManipulation -LiteralPath '$(Join-Path $Samples 'sample_3.jpg')' -Checkpoint '$Fixture' -Device cpu | Export-ForensicReport '$report'
`$ours = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'SparseViT.Automation' |
    ForEach-Object { `$_.Assemblies } | Where-Object { `$_.GetName().Name -eq 'CsvHelper' } | ForEach-Object { `$_.GetName().Version.ToString() }
"`$theirs|`$ours"
"@
        $output = Invoke-Pwsh -NoProfile -NonInteractive -File $script 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $output
        $output.Trim() | Should -Be '30.0.0.0|34.0.0.0'
        @(Import-Csv -LiteralPath $report).Count | Should -Be 1
    }
}
