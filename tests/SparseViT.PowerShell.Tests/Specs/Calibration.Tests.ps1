BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Calibrated and uncalibrated verdicts' {
    BeforeAll {
        $root = New-SpecFolder 'calibration'
        # A private copy of the fixture checkpoint, so its calibration file lands beside it and nowhere shared.
        $modelDir = New-Item -ItemType Directory -Path (Join-Path $root 'model')
        $checkpoint = Join-Path $modelDir 'tiny.pth'
        Copy-Item -LiteralPath $Fixture -Destination $checkpoint
        $authentic = New-Item -ItemType Directory -Path (Join-Path $root 'authentic')
        $cases = Get-ChildItem (Join-Path $Shared 'fixtures/sparsevit-tiny') -File | Where-Object Extension -in '.jpg', '.png'
        $sources = @(Get-ChildItem $Samples -File) + @($cases)
        foreach ($i in 1..4) { foreach ($s in $sources) { Copy-Item -LiteralPath $s.FullName -Destination (Join-Path $authentic "$i-$($s.Name)") } }
        $edits = New-Item -ItemType Directory -Path (Join-Path $root 'edits')
        Copy-Item -Path (Join-Path $Samples '*') -Destination $edits
    }

    It 'writes the calibration beside the checkpoint and scans cite it' {
        $calibration = New-ManipulationCalibration -AuthenticPath $authentic -ManipulatedPath $edits -Checkpoint $checkpoint -Device cpu -Confirm:$false
        $file = Join-Path $modelDir 'tiny.calibration.json'
        Test-Path -LiteralPath $file | Should -BeTrue
        $calibration.Data.Authentic | Should -Be (4 * $sources.Count)
        $calibration.Data.Manipulated | Should -Be 3
        $calibration.Manipulated.Threshold | Should -BeGreaterOrEqual $calibration.Suspicious.Threshold
        $calibration.Checkpoint.Sha256 | Should -Be (Get-FileHash -LiteralPath $checkpoint -Algorithm SHA256).Hash.ToLowerInvariant()

        $result = Test-ImageManipulation -LiteralPath (Join-Path $Samples 'sample_1.jpg') -Checkpoint $checkpoint -Device cpu
        $result.Calibration | Should -Be $file
        $result.CalibrationSha256 | Should -Be (Get-FileHash -LiteralPath $file -Algorithm SHA256).Hash.ToLowerInvariant()
        ($result.ScoreFunction -replace '-', '') | Should -Be $calibration.ScoreFunction.ToString().ToLowerInvariant()
        $result.Reasons | Should -Match "of $(4 * $sources.Count) authentic calibration images"
        $result.Record.model.calibration.file | Should -Be $file
    }

    It 'refuses to overwrite without -Force and writes nothing with -WhatIf' {
        { New-ManipulationCalibration $authentic $edits -Checkpoint $checkpoint -Device cpu -Confirm:$false } | Should -Throw -ErrorId 'CalibrationFileExists,*'
        $target = Join-Path $root 'whatif.calibration.json'
        New-ManipulationCalibration $authentic $edits -Checkpoint $checkpoint -Device cpu -OutFile $target -WhatIf
        Test-Path -LiteralPath $target | Should -BeFalse
    }

    It 'refuses a calibration made for other weights with CalibrationMismatch' {
        $file = Join-Path $modelDir 'tiny.calibration.json'
        { Test-ImageManipulation -LiteralPath (Join-Path $Samples 'sample_2.jpg') -Checkpoint $DefaultModel -Device cpu -Calibration $file } |
            Should -Throw -ErrorId 'CalibrationMismatch,*'
    }

    It 'an uncalibrated model is at most suspicious from its map, and says so' {
        $results = Get-ChildItem $authentic | Test-ImageManipulation -Checkpoint $Fixture -Device cpu -SkipMetadata -Threshold 0.05
        $results.Count | Should -Be (4 * $sources.Count)
        $results | Where-Object Verdict -eq 'manipulated' | Should -BeNullOrEmpty
        $results | Where-Object Verdict -eq 'suspicious' | Should -Not -BeNullOrEmpty
        $results | ForEach-Object { $_.Calibration | Should -BeNullOrEmpty; $_.Reasons | Should -Match 'uncalibrated' }
    }

    It 'Measure-ManipulationAccuracy counts -AuthenticPath images at image level only' {
        $summary = Measure-ManipulationAccuracy -Path (Join-Path $Samples '*.jpg') -GroundTruth $GroundTruth -AuthenticPath $authentic -Checkpoint $Fixture -Device cpu
        $summary.ManipulatedImages | Should -Be 3
        $summary.AuthenticImages | Should -Be (4 * $sources.Count)
        $summary.FalsePositiveRate | Should -BeGreaterOrEqual 0
        $summary.BalancedAccuracy | Should -Not -BeNullOrEmpty
        @($summary.Candidates).Count | Should -Be 4
    }
}
