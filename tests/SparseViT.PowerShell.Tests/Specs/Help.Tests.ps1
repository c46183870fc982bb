BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Help and formatting' {
    BeforeDiscovery {
        # From the manifest, so the list is known before any BeforeAll imports the module.
        $manifest = if ($env:SPARSEVIT_MODULE) { $env:SPARSEVIT_MODULE } else { Join-Path $PSScriptRoot '../../../artifacts/module/SparseViT.Automation/SparseViT.Automation.psd1' }
        $cmdlets = @((Import-PowerShellDataFile -LiteralPath $manifest).CmdletsToExport)
    }

    It 'exports the cmdlets its manifest lists' {
        $listed = @((Import-PowerShellDataFile -LiteralPath $ModuleManifest).CmdletsToExport)
        $listed.Count | Should -BeGreaterOrEqual 6
        (Get-Command -Module SparseViT.Automation).Name | Sort-Object | Should -Be ($listed | Sort-Object)
    }

    It '<_> has help with examples' -ForEach $cmdlets {
        $help = Get-Help $_ -Examples
        $help.Synopsis | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
        $help.Examples.Example[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'about_SparseViT.Automation is found' {
        (Get-Help about_SparseViT.Automation | Out-String) | Should -Match 'Test-ImageManipulation'
    }

    It 'renders results in the module''s table view' {
        $result = Test-ImageManipulation -LiteralPath (Join-Path $Samples 'sample_1.jpg') -Checkpoint $Fixture -Device cpu
        $text = $result | Format-Table | Out-String
        $text | Should -Match 'Verdict'
        $text | Should -Match 'sample_1\.jpg'
        $text | Should -Not -Match 'SparseViT\.PowerShell\.ImageManipulationResult'
    }

    It 'renders loaded models in the module''s view' {
        $null = Import-SparseViTModel -Checkpoint $Fixture -Device cpu
        $text = Get-SparseViTModel | Format-Table | Out-String
        $text | Should -Match 'cpu'
        $text | Should -Not -Match 'SparseViT\.PowerShell\.LoadedModel'
    }
}
