BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

# The way the module is used: many files through one loaded model, again and again in one session.
Describe 'Three rounds of 120 images and a broken file through the shipped model' {
    BeforeAll {
        $folder = New-SpecFolder 'many'
        foreach ($i in 1..120) { $null = Copy-Sample "sample_$((($i - 1) % 3) + 1).jpg" (Join-Path $folder ('c{0:D3}.jpg' -f $i)) }
        $broken = New-BrokenJpeg (Join-Path $folder 'z-broken.jpg')
        $rounds = foreach ($round in 1..3) {
            $roundErrors = $null
            $found = Get-ChildItem -LiteralPath $folder -Filter *.jpg |
                Test-ImageManipulation -Checkpoint $DefaultModel -Device cpu -BatchSize 4 -ErrorVariable roundErrors -ErrorAction SilentlyContinue
            [pscustomobject]@{ Results = @($found); Errors = @($roundErrors) }
        }
        $all = @($rounds.Results)
        $csv = Join-Path $folder 'all.csv'
        $all | Export-Csv -LiteralPath $csv -NoTypeInformation
        $whatIf = Join-Path $folder 'whatif.json'
        $all | Export-ForensicReport $whatIf -WhatIf
    }

    It 'yields 360 records, every score finite and in [0, 1]' {
        $all.Count | Should -Be 360
        foreach ($r in $all) {
            $r.Status | Should -Be 'ok'
            [double]::IsFinite($r.Score) | Should -BeTrue
            [double]::IsFinite($r.MeanScore) | Should -BeTrue
            $r.Score | Should -BeGreaterOrEqual 0
            $r.Score | Should -BeLessOrEqual 1
        }
    }

    It 'gives every copy of an image the same answer, in every round' {
        foreach ($group in ($all | Group-Object Sha256)) {
            @($group.Group | Select-Object Score, MeanScore, ManipulatedFraction, Verdict -Unique).Count | Should -Be 1 -Because "$($group.Group[0].Name) and its copies are one image"
        }
        @($all | Group-Object Sha256).Count | Should -Be 3
    }

    It 'reports the broken file once per round, by id and path' {
        $errors = @($rounds.Errors)
        $errors.Count | Should -Be 3
        foreach ($e in $errors) {
            $e.TargetObject | Should -Be $broken.FullName
            $e.FullyQualifiedErrorId | Should -Match '^(ImageTruncated|ImageDecodeFailed),'
        }
    }

    It 'writes a CSV that Import-Csv reads back' {
        $rows = Import-Csv -LiteralPath $csv
        $rows.Count | Should -Be 360
        ($rows | Where-Object { -not [double]::IsFinite([double]::Parse($_.Score, [cultureinfo]::InvariantCulture)) }).Count | Should -Be 0
    }

    It 'writes nothing under -WhatIf' {
        $whatIf | Should -Not -Exist
    }
}
