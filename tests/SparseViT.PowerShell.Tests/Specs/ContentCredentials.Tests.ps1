BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
}

Describe 'Content Credentials in real pwsh' {
    BeforeAll {
        $script:C2pa = Join-Path $Shared 'fixtures/c2pa'
        $script:Anchors = Join-Path $RepoRoot 'tests/SparseViT.Forensics.Tests/Provenance/c2pa-rs-test-trust-anchors.pem'
    }

    It 'Get-ImageForensicMetadata shows who signed, with what, and whether the bytes still match' {
        $results = @(Get-ChildItem -LiteralPath $C2pa -File -Include (Get-SparseViTImageFormat).Include -Recurse | Get-ImageForensicMetadata)
        $results.Count | Should -Be 15
        $c = $results | Where-Object Name -eq 'C.jpg'
        $c.C2paStatus | Should -Be 'valid'
        $c.C2paSigner | Should -Be 'C2PA Signer'
        $c.C2paGenerator | Should -Be 'make_test_images/0.33.1 c2pa-rs/0.33.1'
        $c.C2paAiGenerated | Should -BeTrue
        ($results | Where-Object Name -eq 'XCA.jpg').C2paStatus | Should -Be 'invalid'
        ($results | Where-Object Name -eq 'XCA.jpg').Indicators | Should -Match 'c2pa-content-modified-after-signing'
        ($results | Where-Object Name -eq 'mars.webp').C2paStatus | Should -Be 'none'
        ($results | Where-Object Name -eq 'ocsp.jpg').Record.provenance.actions.action | Should -Contain 'c2pa.edited'
    }

    It '-C2paTrust makes the test-signed files trusted, and a missing list stops the command with its own id' {
        (Get-ImageForensicMetadata -LiteralPath (Join-Path $C2pa 'gen-signed.webp') -C2paTrust $Anchors).C2paStatus | Should -Be 'trusted'
        { Get-ImageForensicMetadata -LiteralPath (Join-Path $C2pa 'C.jpg') -C2paTrust (Join-Path $TestDrive 'missing.pem') -ErrorAction Stop } |
            Should -Throw -ErrorId 'C2paTrustInvalid*'
    }
}
