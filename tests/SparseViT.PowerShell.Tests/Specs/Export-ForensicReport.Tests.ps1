BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Export-ForensicReport' {
    BeforeAll {
        $folder = New-SpecFolder 'export'
        $results = Get-ChildItem (Join-Path $Samples '*.jpg') | Test-ImageManipulation -Checkpoint $Fixture -Device cpu
    }

    It 'writes nothing under -WhatIf' {
        $target = Join-Path $folder 'whatif.json'
        $results | Export-ForensicReport $target -WhatIf
        $target | Should -Not -Exist
    }

    It 'asks under -Confirm, and a non-interactive session cannot answer, so nothing is written' {
        $target = Join-Path $folder 'confirm.json'
        { $results | Export-ForensicReport $target -Confirm } | Should -Throw
        $target | Should -Not -Exist
    }

    It 'writes with -Confirm:$false' {
        $target = Join-Path $folder 'confirmed.json'
        $results | Export-ForensicReport $target -Confirm:$false
        $records = Get-Content -LiteralPath $target -Raw | ConvertFrom-Json -Depth 10
        $records.Count | Should -Be 3
        $records[0].schema | Should -Be 'sparsevit.forensic-record/1'
    }

    It 'appends JSON Lines with -Append' {
        $target = Join-Path $folder 'history.jsonl'
        $results | Export-ForensicReport $target -Append
        $results | Export-ForensicReport $target -Append
        @(Get-Content -LiteralPath $target).Count | Should -Be 6
        foreach ($line in Get-Content -LiteralPath $target) { ($line | ConvertFrom-Json).schema | Should -Be 'sparsevit.forensic-record/1' }
    }

    It 'writes CSV with the same columns Export-Csv gets from the results' {
        $target = Join-Path $folder 'report.csv'
        $results | Export-ForensicReport $target
        $rows = Import-Csv -LiteralPath $target
        $rows.Count | Should -Be 3
        ($rows.path | Sort-Object) | Should -Be ($results.Path | Sort-Object)
    }

    It 'writes an HTML report with heat maps, SARIF 2.1.0 and JUnit XML' {
        $maps = Join-Path $folder 'masks'
        $mapped = Get-ChildItem (Join-Path $Samples '*.jpg') | Test-ImageManipulation -Checkpoint $Fixture -Device cpu -MaskDirectory $maps
        $html = Join-Path $folder 'report.html'
        $mapped | Export-ForensicReport $html
        $text = Get-Content -Raw $html
        ([regex]::Matches($text, 'class="photo"')).Count | Should -Be 3
        ([regex]::Matches($text, 'class="heat"')).Count | Should -Be 3
        $text | Should -Match "Content-Security-Policy"

        $sarif = Join-Path $folder 'report.sarif'
        $mapped | Export-ForensicReport $sarif -FailOn suspicious
        $log = Get-Content -Raw $sarif | ConvertFrom-Json
        $log.version | Should -Be '2.1.0'
        $flagged = @($mapped | Where-Object Verdict -in 'manipulated', 'suspicious').Count
        @($log.runs[0].results).Count | Should -Be $flagged

        $junit = Join-Path $folder 'report.xml'
        $mapped | Export-ForensicReport $junit -Format JUnit
        ([xml](Get-Content -Raw $junit)).testsuites.tests | Should -Be '3'
    }

    It 'returns the written file with -PassThru' {
        $target = Join-Path $folder 'passthru.jsonl'
        ($results | Export-ForensicReport $target -PassThru).FullName | Should -Be $target
    }
}
