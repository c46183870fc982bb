BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')

    # Runs a README block as written, in a fresh pwsh that finds the module by name, the way a reader pastes it.
    function Invoke-Snippet {
        param([string] $Code, [string] $WorkingDirectory)
        $file = Join-Path $TestDrive "snippet-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Stop'`n$Code" -Encoding utf8NoBOM
        Push-Location $WorkingDirectory
        try {
            $output = Invoke-Pwsh -NoProfile -NonInteractive -File $file 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
        } finally {
            Pop-Location
        }
    }
}

Describe 'Every PowerShell snippet in the README' {
    BeforeDiscovery {
        $readme = Get-Content -Raw (Join-Path $PSScriptRoot '../../../README.md')
        $script:blocks = @([regex]::Matches($readme, '(?ms)^```powershell\r?\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value })
        $script:scheduledScan = Get-Content -Raw (Join-Path $PSScriptRoot '../../../module/examples/scheduled-scan.ps1')
        $script:cases = for ($i = 0; $i -lt $blocks.Count; $i++) {
            $code = $blocks[$i]
            $kind = if ($code -match '^# Not run by the specs: \S') { 'marked' }
                    elseif ($code -eq $scheduledScan) { 'scheduled-scan' }
                    else { 'run' }
            @{ Index = $i + 1; Code = $code; Kind = $kind; First = ($code -split "`n")[0] }
        }
    }

    BeforeAll {
        $env:PSModulePath = (Split-Path (Split-Path $ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
        $sandbox = New-SpecFolder 'readme'
        foreach ($n in 1..3) { $null = Copy-Sample "sample_$n.jpg" (Join-Path $sandbox "photos/sample_$n.jpg") }
        foreach ($n in 1..3) { $null = Copy-Sample "sample_$n.jpg" (Join-Path $sandbox "samples/tampered/sample_$n.jpg") }
        $null = New-Item -ItemType Directory (Join-Path $sandbox 'samples/ground-truth'), (Join-Path $sandbox 'checkpoints'), (Join-Path $sandbox 'reports'), (Join-Path $sandbox 'masks')
        Copy-Item (Join-Path $GroundTruth '*') (Join-Path $sandbox 'samples/ground-truth')
        Copy-Item -LiteralPath $Fixture (Join-Path $sandbox 'checkpoints/checkpoint.pth')
    }

    It 'block <Index> runs as written (<First>)' -ForEach @($cases | Where-Object Kind -eq 'run') {
        # The build block works on the repository itself; every other block on a sandbox with photos, samples and a checkpoint.
        $where = if ($Code -match '\./build\.ps1') { $RepoRoot } else { $sandbox }
        $run = Invoke-Snippet -Code $Code -WorkingDirectory $where
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }

    It 'block <Index> is the scheduled-scan script file, which its own spec runs' -ForEach @($cases | Where-Object Kind -eq 'scheduled-scan') {
        $Code | Should -BeExactly $scheduledScan
    }

    It 'block <Index> says why it is not run (<First>)' -ForEach @($cases | Where-Object Kind -eq 'marked') {
        $First | Should -Match '^# Not run by the specs: .{8,}'
    }

    It 'has snippets at all, and the scheduled-scan script among them' {
        $cases.Count | Should -BeGreaterOrEqual 5
        @($cases | Where-Object Kind -eq 'scheduled-scan').Count | Should -Be 1
    }

    It 'left the outputs the snippets promise' {
        Join-Path $sandbox 'report.csv' | Should -Exist
        Join-Path $sandbox 'reports/scan.json' | Should -Exist
        @(Get-ChildItem (Join-Path $sandbox 'masks') -Recurse -Filter *.png).Count | Should -Be 3
    }
}
