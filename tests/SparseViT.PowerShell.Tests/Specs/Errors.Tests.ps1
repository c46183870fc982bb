BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Documented error ids' {
    BeforeAll {
        $folder = New-SpecFolder 'errors'
        $garbage = Join-Path $folder 'garbage.jpg'
        Set-Content -LiteralPath $garbage -Value 'this is not an image'
        $empty = Join-Path $folder 'empty.jpg'
        $null = New-Item -ItemType File -Path $empty
        $good = Copy-Sample 'sample_3.jpg' (Join-Path $folder 'good.jpg')
    }

    It 'CheckpointNotFound for a checkpoint that does not exist' {
        { Test-ImageManipulation -LiteralPath $good.FullName -Checkpoint (Join-Path $folder 'none.pth') } | Should -Throw -ErrorId 'CheckpointNotFound,*'
    }

    It 'CheckpointRefusedGlobal for a checkpoint that would run code' {
        $hostile = Join-Path $Shared 'fixtures/sparsevit-tiny/hostile-code-exec.pth'
        { Import-SparseViTModel -Checkpoint $hostile -Device cpu } | Should -Throw -ErrorId 'CheckpointRefusedGlobal,*'
    }

    It 'PathNotFound for a missing image' {
        { Test-ImageManipulation -LiteralPath (Join-Path $folder 'missing.jpg') -Checkpoint $Fixture -Device cpu -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,*'
    }

    It 'ImageUnrecognized for bytes that are no image' {
        { Test-ImageManipulation -LiteralPath $garbage -Checkpoint $Fixture -Device cpu -ErrorAction Stop } | Should -Throw -ErrorId 'ImageUnrecognized,*'
    }

    It 'ImageEmpty for a zero-byte file' {
        { Test-ImageManipulation -LiteralPath $empty -Checkpoint $Fixture -Device cpu -ErrorAction Stop } | Should -Throw -ErrorId 'ImageEmpty,*'
    }

    It 'ReportExists when a report would be overwritten without -Force' {
        $report = Join-Path $folder 'exists.json'
        Set-Content -LiteralPath $report -Value '[]'
        $result = Test-ImageManipulation -LiteralPath $good.FullName -Checkpoint $Fixture -Device cpu
        { $result | Export-ForensicReport $report } | Should -Throw -ErrorId 'ReportExists,*'
        Get-Content -LiteralPath $report -Raw | Should -Be "[]$([Environment]::NewLine)"
    }

    It 'AppendRequiresJsonl for -Append to a JSON array' {
        $result = Test-ImageManipulation -LiteralPath $good.FullName -Checkpoint $Fixture -Device cpu
        { $result | Export-ForensicReport (Join-Path $folder 'a.json') -Append } | Should -Throw -ErrorId 'AppendRequiresJsonl,*'
    }

    It 'GroundTruthFolderNotFound for a missing mask folder' {
        { Measure-ManipulationAccuracy -LiteralPath $good.FullName -GroundTruth (Join-Path $folder 'no-masks') -Checkpoint $Fixture -Device cpu } |
            Should -Throw -ErrorId 'GroundTruthFolderNotFound,*'
    }

    It 'rejects an unknown precision when the parameter binds' {
        { Test-ImageManipulation -LiteralPath $good.FullName -Precision fp64 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}
