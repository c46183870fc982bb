#Requires -Version 7.4
<#
.SYNOPSIS
    Builds the SparseViT.Automation PowerShell module into a loadable module folder, and optionally tests it.

.DESCRIPTION
    The module folder is assembled by MSBuild (target AssembleModule in
    src/SparseViT.PowerShell/SparseViT.PowerShell.csproj, run after every build of that project), so the same
    result is available without PowerShell:

        dotnet build src/SparseViT.PowerShell -c Release
        # -> artifacts/module/SparseViT.Automation/SparseViT.Automation.psd1

    This script only drives that build, checks the manifest, and runs the tests on request.

.PARAMETER Configuration
    Debug or Release (default).

.PARAMETER OutputPath
    Module folder to write (default: artifacts/module/SparseViT.Automation). Name it SparseViT.Automation and put
    its parent on $env:PSModulePath to import the module by name.

.PARAMETER Version
    Module version to stamp (default: <Version> from Directory.Build.props). A suffix such as 1.2.0-beta1 becomes
    PSData.Prerelease.

.PARAMETER TorchBackend
    Which libtorch goes into the module folder: cpu (default, from NuGet), cuda (NuGet's CUDA 12.8 build, where the
    feed serves it) or none (use an existing PyTorch at run time through $env:SPARSEVIT_LIBTORCH).

.PARAMETER Test
    Run the module's tests after building: the Pester specs (tests/SparseViT.PowerShell.Tests/Specs/*.Tests.ps1) in
    real pwsh, and the xunit tests that drive a hosted runspace, both against the built folder.

.PARAMETER Import
    Import the built module into the current session after building.

.EXAMPLE
    ./build.ps1 -Test

.EXAMPLE
    ./build.ps1 -OutputPath ~/.local/share/powershell/Modules/SparseViT.Automation -Import
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    [string] $OutputPath,

    [ValidatePattern('^\d+\.\d+\.\d+(\.\d+)?(-[0-9A-Za-z.]+)?$')]
    [string] $Version,

    [ValidateSet('cpu', 'cuda', 'none')]
    [string] $TorchBackend = 'cpu',

    [switch] $Test,

    [switch] $Import
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$root = $PSScriptRoot
$project = Join-Path $root 'src/SparseViT.PowerShell/SparseViT.PowerShell.csproj'
$moduleDir = if ($OutputPath) {
    $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputPath)
} else {
    Join-Path $root 'artifacts/module/SparseViT.Automation'
}

if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) {
    throw 'The .NET SDK (dotnet) is required to build the module: https://dot.net/download'
}

$buildArgs = @('build', $project, '-c', $Configuration, '-nologo', "-p:SparseViTModuleDir=$moduleDir")
if ($Version) { $buildArgs += "-p:Version=$Version" }
if ($TorchBackend -ne 'cpu') { $buildArgs += "-p:SparseViTTorchBackend=$TorchBackend" }
Write-Verbose "dotnet $($buildArgs -join ' ')"
& dotnet @buildArgs
if ($LASTEXITCODE -ne 0) { throw "dotnet build failed with exit code $LASTEXITCODE" }

$manifest = Join-Path $moduleDir 'SparseViT.Automation.psd1'
$info = Test-ModuleManifest -Path $manifest
# The cmdlets sit at the root; everything they depend on, natives included, in Dependencies/ (loaded in the
# module's own AssemblyLoadContext, so other modules' versions of the same libraries cannot collide with ours).
$dependencies = Join-Path $moduleDir 'Dependencies'
$natives = @('libLibTorchSharp.so', 'libSkiaSharp.so')
if ($TorchBackend -ne 'none') { $natives += 'libtorch_cpu.so' }
foreach ($file in @($natives + 'SparseViT.Engine.dll', 'SparseViT.Forensics.dll', 'TorchSharp.dll')) {
    if (-not (Test-Path -LiteralPath (Join-Path $dependencies $file))) {
        throw "The module folder lacks Dependencies/$file; natives must sit beside the DLLs (build for linux-x64)."
    }
}
$stray = @(Get-ChildItem -LiteralPath $moduleDir -File -Filter *.dll | Where-Object Name -ne 'SparseViT.Automation.dll')
if ($stray) { throw "Only SparseViT.Automation.dll belongs at the module's root; found $($stray.Name -join ', ')." }
Write-Host "SparseViT.Automation $($info.Version) -> $moduleDir"

if ($Test) {
    $previous = $env:SPARSEVIT_MODULE_DIR
    try {
        # The tests import the module from this folder, so a custom -OutputPath is what gets tested.
        $env:SPARSEVIT_MODULE_DIR = $moduleDir
        & dotnet test (Join-Path $root 'tests/SparseViT.PowerShell.Tests/SparseViT.PowerShell.Tests.csproj') -c $Configuration -nologo
        if ($LASTEXITCODE -ne 0) { throw "tests failed with exit code $LASTEXITCODE" }
    } finally {
        $env:SPARSEVIT_MODULE_DIR = $previous
    }
}

if ($Import) {
    Import-Module $manifest -Force -PassThru
}
