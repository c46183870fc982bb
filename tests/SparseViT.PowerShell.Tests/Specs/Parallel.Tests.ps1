BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'ForEach-Object -Parallel' {
    BeforeAll {
        $folder = New-SpecFolder 'parallel'
        $files = foreach ($i in 1..8) { Copy-Sample "sample_$((($i - 1) % 3) + 1).jpg" (Join-Path $folder "p$i.jpg") }
        $sequential = $files | Test-ImageManipulation -Checkpoint $Fixture -Device cpu
        $manifest = $ModuleManifest
        $fixture = $Fixture
        $parallel = $files | ForEach-Object -Parallel {
            Import-Module $using:manifest
            $_ | Test-ImageManipulation -Checkpoint $using:fixture -Device cpu
        } -ThrottleLimit 4
    }

    It 'gives one result per file' {
        $parallel.Count | Should -Be 8
        ($parallel.Path | Sort-Object) | Should -Be ($files.FullName | Sort-Object)
    }

    It 'gives the same records as the sequential pipeline' {
        $bySequential = @{}
        foreach ($r in $sequential) { $bySequential[$r.Path] = $r }
        foreach ($r in $parallel) {
            $s = $bySequential[$r.Path]
            $r.Score | Should -Be $s.Score
            $r.MeanScore | Should -Be $s.MeanScore
            $r.ManipulatedFraction | Should -Be $s.ManipulatedFraction
            $r.Verdict | Should -Be $s.Verdict
            $r.Sha256 | Should -Be $s.Sha256
        }
    }

    It 'loads the model once for every runspace of the session' {
        # Other specs in this session may have loaded the same checkpoint on the other backend: count this one's.
        $backend = $sequential[0].Backend
        @(Get-SparseViTModel -Checkpoint *checkpoint.pth -Device cpu | Where-Object { $_.Precision -eq 'fp32' -and $_.Backend -eq $backend }).Count | Should -Be 1
    }
}
