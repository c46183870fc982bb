BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:ScriptFile = Join-Path $RepoRoot 'module/examples/scheduled-scan.ps1'

    function Invoke-ScheduledScan {
        param([string] $Folder, [string] $Checkpoint)
        $work = New-SpecFolder
        $report = Join-Path $work 'reports/scan.csv'
        $previous = $env:PSModulePath
        $env:PSModulePath = (Split-Path (Split-Path $ModuleManifest)) + [IO.Path]::PathSeparator + $env:PSModulePath
        Push-Location $work
        try {
            $output = Invoke-Pwsh -NoProfile -NonInteractive -File $ScriptFile -Folder $Folder -Checkpoint $Checkpoint -Report $report 2>&1 | Out-String
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output; Report = $report; History = Join-Path $work 'reports/history.jsonl' }
        } finally {
            Pop-Location
            $env:PSModulePath = $previous
        }
    }
}

Describe 'module/examples/scheduled-scan.ps1 run with pwsh -File' {
    BeforeAll {
        # The tiny fixture model scores the photos low, so metadata decides: sample_1 was saved by Photoshop (a finding),
        # sample_3 carries no editing trace (nothing found).
        $withFindings = New-SpecFolder 'findings'
        $null = Copy-Sample 'sample_1.jpg' (Join-Path $withFindings 'a/edited.jpg')
        $null = Copy-Sample 'sample_3.jpg' (Join-Path $withFindings 'b/plain.jpg')
        $clean = New-SpecFolder 'clean'
        $null = Copy-Sample 'sample_3.jpg' (Join-Path $clean 'one.jpg')
        $null = Copy-Sample 'sample_3.jpg' (Join-Path $clean 'two.jpg')
        $withBroken = New-SpecFolder 'broken'
        $null = Copy-Sample 'sample_3.jpg' (Join-Path $withBroken 'ok.jpg')
        $null = New-BrokenJpeg (Join-Path $withBroken 'broken.jpg')

        $found = Invoke-ScheduledScan -Folder $withFindings -Checkpoint $Fixture
        $nothing = Invoke-ScheduledScan -Folder $clean -Checkpoint $Fixture
        $failed = Invoke-ScheduledScan -Folder $withBroken -Checkpoint $Fixture
        $noModel = Invoke-ScheduledScan -Folder $clean -Checkpoint (Join-Path $clean 'missing.pth')
    }

    It 'exits 1 on a folder with findings, with a report of every image' {
        $found.ExitCode | Should -Be 1 -Because $found.Output
        $rows = Import-Csv -LiteralPath $found.Report
        $rows.Count | Should -Be 2
        ($rows | Where-Object fileName -eq 'edited.jpg').verdict | Should -BeIn @('manipulated', 'suspicious')
        @(Get-Content -LiteralPath $found.History).Count | Should -Be 2
    }

    It 'exits 0 on a folder without findings' {
        $nothing.ExitCode | Should -Be 0 -Because $nothing.Output
        (Import-Csv -LiteralPath $nothing.Report).verdict | Should -Be @('no-evidence', 'no-evidence')
    }

    It 'exits 2 when a file could not be scanned, and names it' {
        $failed.ExitCode | Should -Be 2 -Because $failed.Output
        $failed.Output | Should -Match 'broken\.jpg: Image(Truncated|DecodeFailed)'
        @(Import-Csv -LiteralPath $failed.Report).Count | Should -Be 1
    }

    It 'exits 3 when the scan cannot run' {
        $noModel.ExitCode | Should -Be 3 -Because $noModel.Output
        $noModel.Output | Should -Match 'CheckpointNotFound|does not exist'
    }
}
