BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Formats = Join-Path $Shared 'fixtures/formats'
}

Describe 'Image formats in real pwsh' {
    It 'Get-SparseViTImageFormat lists the readable formats with Include wildcards' {
        $all = @(Get-SparseViTImageFormat)
        $all.Id | Should -Contain 'heic'
        $all.Id | Should -Contain 'tiff'
        $all.Id | Should -Contain 'dng'
        ($all | Where-Object Id -eq 'tiff').Decoder | Should -Be 'LibTiff.NET'
        (Get-SparseViTImageFormat heic).Include | Should -Be @('*.heic', '*.heif', '*.hif')
        @(Get-SparseViTImageFormat '.tif').Id | Should -Be @('tiff')
        @(Get-SparseViTImageFormat nothing-like-this).Count | Should -Be 0
        (Get-SparseViTImageFormat | Format-Table | Out-String) | Should -Match 'Magick\.NET'
    }

    It 'a folder walk with its Include scans every fixture format through one model' {
        $expected = (Get-Content -Raw (Join-Path $Formats 'expected.json') | ConvertFrom-Json).files
        $results = @(Get-ChildItem -LiteralPath $Formats -Recurse -File -Include (Get-SparseViTImageFormat).Include |
            Test-ImageManipulation -Checkpoint $Fixture -Device cpu -BatchSize 4 -ErrorVariable failed -ErrorAction SilentlyContinue)
        $failed.Count | Should -Be 0
        $results.Count | Should -Be $expected.Count
        foreach ($file in $expected) {
            $result = $results | Where-Object Name -eq $file.file
            $result | Should -Not -BeNullOrEmpty -Because $file.file
            $result.Width | Should -Be $file.width
            $result.Height | Should -Be $file.height
            $result.Score | Should -BeGreaterOrEqual 0
            $result.Score | Should -BeLessOrEqual 1
        }
        ($results | Where-Object Name -eq 'heic_from_c2pa_sample1.heic').Format | Should -Be 'heic'
    }

    It 'a HEIC named .jpg is read as HEIC and reported as an extension mismatch' {
        $folder = New-SpecFolder
        Copy-Item -LiteralPath (Join-Path $Formats 'heic_from_c2pa_sample1.heic') -Destination (Join-Path $folder 'holiday.jpg')
        $metadata = Get-ImageForensicMetadata -LiteralPath (Join-Path $folder 'holiday.jpg')
        ($metadata.Indicators -join ' ') | Should -Match 'extension-mismatch'
    }

    It 'an SVG named .jpg is an error record with its own id, and the pipeline goes on' {
        $folder = New-SpecFolder
        Set-Content -LiteralPath (Join-Path $folder 'a.jpg') -Value '<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'
        Copy-Item -LiteralPath (Join-Path $Formats 'jxl_lossy_d1.jxl') -Destination (Join-Path $folder 'b.jxl')
        $results = @(Get-ChildItem -LiteralPath $folder -File | Test-ImageManipulation -Checkpoint $Fixture -Device cpu -ErrorVariable failed -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 1
        $results[0].Name | Should -Be 'b.jxl'
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Match '^ImageUnrecognized'
        $failed[0].Exception.Message | Should -Match 'SVG'
    }
}

Describe 'Inference backends in real pwsh' {
    It '-Backend torch and -Backend onnx give the same scores, and results name the backend' {
        $image = Join-Path $Samples 'sample_2.jpg'
        $torch = Test-ImageManipulation -LiteralPath $image -Checkpoint $Fixture -Device cpu -Backend torch
        $onnx = Test-ImageManipulation -LiteralPath $image -Checkpoint $Fixture -Device cpu -Backend onnx
        $auto = Test-ImageManipulation -LiteralPath $image -Checkpoint $Fixture -Device cpu
        $torch.Backend | Should -Be 'torch'
        $onnx.Backend | Should -Be 'onnx'
        $auto.Backend | Should -Be 'onnx'
        [math]::Abs($torch.Score - $onnx.Score) | Should -BeLessThan 1e-5
        [math]::Abs($torch.ImageScore - $onnx.ImageScore) | Should -BeLessThan 1e-5
        @(Get-SparseViTModel -Checkpoint *checkpoint.pth -Device cpu).Backend | Sort-Object -Unique | Should -Be @('onnx', 'torch')
    }
}
