# Dot-sourced by every spec's BeforeAll: where things are, and the module under test imported the way a user does.
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../../..')).Path
$script:Shared = (Resolve-Path (Join-Path $RepoRoot '../shared')).Path
$script:Samples = Join-Path $Shared 'samples/tampered'
$script:GroundTruth = Join-Path $Shared 'samples/ground-truth'
$script:Fixture = Join-Path $Shared 'fixtures/sparsevit-tiny/checkpoint.pth'
$script:DefaultModel = Join-Path $RepoRoot 'checkpoints/default/sparsevit-default.safetensors'
$script:ModuleManifest = if ($env:SPARSEVIT_MODULE) { $env:SPARSEVIT_MODULE } else { Join-Path $RepoRoot 'artifacts/module/SparseViT.Automation/SparseViT.Automation.psd1' }
# ONNX graph caches stay out of ../shared and the shipped model's folder, as under the xunit bridge (TestEnvironment).
if (-not $env:SPARSEVIT_ONNX_CACHE) { $env:SPARSEVIT_ONNX_CACHE = Join-Path ([IO.Path]::GetTempPath()) 'sparsevit-onnx-cache-pester' }
Import-Module $ModuleManifest -Force:$false

function New-SpecFolder {
    # A scratch folder under TestDrive (Pester removes it after the block).
    param([string] $Name = [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force
}

function Copy-Sample {
    param([string] $Sample, [string] $Destination)
    $null = New-Item -ItemType Directory -Path (Split-Path $Destination) -Force
    Copy-Item -LiteralPath (Join-Path $Samples $Sample) -Destination $Destination
    Get-Item -LiteralPath $Destination
}

function New-BrokenJpeg {
    # The first third of a real JPEG: a truncated file the decoder reports as ImageTruncated.
    param([string] $Destination)
    $bytes = [IO.File]::ReadAllBytes((Join-Path $Samples 'sample_2.jpg'))
    [IO.File]::WriteAllBytes($Destination, $bytes[0..([int]($bytes.Length / 3))])
    Get-Item -LiteralPath $Destination
}

function Invoke-Pwsh {
    # Another pwsh like this one: the local .NET tool runs as `dotnet pwsh.dll`, an installed pwsh as itself.
    $self = [Environment]::ProcessPath
    if ((Split-Path -Leaf $self) -like 'dotnet*') { & $self (Join-Path $PSHOME 'pwsh.dll') @args }
    else { & $self @args }
}
