BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Test-ImageManipulation in a real pipeline' {
    BeforeAll {
        $folder = New-SpecFolder 'mixed'
        foreach ($i in 1..4) { $null = Copy-Sample "sample_$(($i % 3) + 1).jpg" (Join-Path $folder "img$i.jpg") }
        $broken = New-BrokenJpeg (Join-Path $folder 'img5-broken.jpg')
        $csv = Join-Path $folder 'report.csv'

        $results = Get-ChildItem (Join-Path $folder '*.jpg') |
            Test-ImageManipulation -Checkpoint $Fixture -Device cpu -ErrorVariable scanErrors -ErrorAction SilentlyContinue
        $results | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = Import-Csv -LiteralPath $csv
    }

    It 'gives one result per readable image' {
        $results.Count | Should -Be 4
        $results.Name | Sort-Object | Should -Be @('img1.jpg', 'img2.jpg', 'img3.jpg', 'img4.jpg')
    }

    It 'reports the broken file once, by id and path, without stopping the scan' {
        $scanErrors.Count | Should -Be 1
        $scanErrors[0].FullyQualifiedErrorId | Should -Match '^(ImageTruncated|ImageDecodeFailed),'
        $scanErrors[0].TargetObject | Should -Be $broken.FullName
        $scanErrors[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'round-trips through Export-Csv and Import-Csv with scalar columns' {
        $rows.Count | Should -Be 4
        foreach ($row in $rows) {
            $row.Status | Should -Be 'ok'
            $row.Verdict | Should -BeIn @('manipulated', 'suspicious', 'no-evidence')
            [double]::Parse($row.Score, [cultureinfo]::InvariantCulture) | Should -BeGreaterOrEqual 0
            [double]::Parse($row.Score, [cultureinfo]::InvariantCulture) | Should -BeLessOrEqual 1
            $row.Path | Should -Exist
        }
        ($rows | Where-Object Name -eq 'img1.jpg').Software | Should -Be 'Adobe Photoshop CS2 Windows'
    }
}

Describe 'Paths people actually have' {
    BeforeAll {
        $root = New-SpecFolder 'tree'
        $names = @('with space/a photo.jpg', 'brackets [1]/img[2].jpg', 'ünïcødé/фото 写真.jpg', 'plain/b.jpg')
        $files = foreach ($n in $names) { Copy-Sample 'sample_3.jpg' (Join-Path $root $n) }
        $recursed = Get-ChildItem -LiteralPath $root -Recurse -File | Test-ImageManipulation -Checkpoint $Fixture -Device cpu
    }

    It 'scans a recursive Get-ChildItem with spaces, brackets and non-ASCII names' {
        $recursed.Count | Should -Be 4
        ($recursed.Path | Sort-Object) | Should -Be ($files.FullName | Sort-Object)
    }

    It 'takes brackets literally with -LiteralPath' {
        $odd = ($files | Where-Object Name -eq 'img[2].jpg').FullName
        (Test-ImageManipulation -LiteralPath $odd -Checkpoint $Fixture -Device cpu).Path | Should -Be $odd
    }

    It 'binds pipeline objects by FullName and by PSPath' {
        $byFullName = $files | Select-Object FullName | Test-ImageManipulation -Checkpoint $Fixture -Device cpu
        $byPsPath = $files | Select-Object PSPath | Test-ImageManipulation -Checkpoint $Fixture -Device cpu
        ($byFullName.Path | Sort-Object) | Should -Be ($files.FullName | Sort-Object)
        ($byPsPath.Path | Sort-Object) | Should -Be ($files.FullName | Sort-Object)
    }

    It 'gives the same scores whichever way the path arrived' {
        $byName = @{}; foreach ($r in $recursed) { $byName[$r.Path] = $r.Score }
        foreach ($r in ($files | Select-Object PSPath | Test-ImageManipulation -Checkpoint $Fixture -Device cpu)) {
            $r.Score | Should -Be $byName[$r.Path]
        }
    }
}

Describe 'JSON of a result is the record' {
    BeforeAll {
        $sample = Join-Path $Samples 'sample_1.jpg'
        $result = Test-ImageManipulation -LiteralPath $sample -Checkpoint $Fixture -Device cpu
        $fromModule = $result.Record | ConvertTo-Json -Depth 10 | ConvertFrom-Json -Depth 10
        $fromResult = $result | ConvertTo-Json -Depth 10 | ConvertFrom-Json -Depth 10
        $cliDll = Join-Path $RepoRoot 'src/SparseViT.Cli/bin/Release/net10.0/linux-x64/sparsevit.dll'
        $env:SPARSEVIT_THREADS = '1'
        $cliJson = & dotnet $cliDll scan $sample --checkpoint $Fixture --device cpu --format jsonl --fail-on never --quiet
        $fromCli = $cliJson | ConvertFrom-Json -Depth 10
    }

    It 'serializes .Record with nested objects, not type names' {
        $fromModule.scores | Should -Not -BeOfType [string]
        $fromModule.metadata | Should -Not -BeOfType [string]
        @($fromModule.indicators).Count | Should -BeGreaterThan 0
        $fromModule.indicators[0] | Should -Not -BeOfType [string]
        $fromModule.indicators[0].id | Should -Not -BeNullOrEmpty
        ($fromModule | ConvertTo-Json -Depth 10) | Should -Not -Match 'SparseViT\.Forensics\.'
    }

    It 'carries the same data as the CLI record' {
        $fromModule.schema | Should -Be $fromCli.schema
        $fromModule.path | Should -Be $fromCli.path
        $fromModule.sha256 | Should -Be $fromCli.sha256
        $fromModule.verdict | Should -Be $fromCli.verdict
        $fromModule.scores.max | Should -Be $fromCli.scores.max
        $fromModule.scores.mean | Should -Be $fromCli.scores.mean
        @($fromModule.scores.regions).Count | Should -Be @($fromCli.scores.regions).Count
        ($fromModule.indicators.id | Sort-Object) | Should -Be ($fromCli.indicators.id | Sort-Object)
        $fromModule.metadata.software | Should -Be $fromCli.metadata.software
    }

    It 'serializes the result object itself with its record nested' {
        $fromResult.Score | Should -Be $result.Score
        $fromResult.Record.scores.max | Should -Be $fromModule.scores.max
    }
}
