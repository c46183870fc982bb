#
# Module manifest for SparseViT.Automation. ModuleVersion is stamped from the build's $(Version) when the
# module folder is assembled (see src/SparseViT.PowerShell/SparseViT.PowerShell.csproj, target AssembleModule).
#
@{
    RootModule           = 'SparseViT.Automation.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '5c0f7e0a-6d0b-4b8e-9a57-3c2d8f1e4a61'
    Author               = 'SparseViT.Automation contributors'
    CompanyName          = 'SparseViT.Automation contributors'
    Copyright            = '(c) SparseViT.Automation contributors. MIT License.'
    Description          = 'Detects manipulated image regions with the SparseViT model and writes forensic records: pipeline-friendly cmdlets for ad-hoc checks and scheduled scans.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('SparseViT.Automation.format.ps1xml')
    TypesToProcess       = @('SparseViT.Automation.types.ps1xml')

    # Explicit lists keep discovery fast and the public surface deliberate.
    CmdletsToExport      = @(
        'Test-ImageManipulation',
        'Get-ImageForensicMetadata',
        'Export-ForensicReport',
        'Import-SparseViTModel',
        'Get-SparseViTModel',
        'Measure-ManipulationAccuracy',
        'New-ManipulationCalibration',
        'Get-SparseViTImageFormat'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('forensics', 'image-forensics', 'manipulation-detection', 'tampering', 'SparseViT', 'TorchSharp', 'Linux', 'PSEdition_Core')
            ProjectUri   = 'https://github.com/sparsevit-automation/SparseViT.Automation'
            LicenseUri   = 'https://github.com/sparsevit-automation/SparseViT.Automation/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/sparsevit-automation/SparseViT.Automation/releases'
            # Prerelease = ''
        }
    }
}
