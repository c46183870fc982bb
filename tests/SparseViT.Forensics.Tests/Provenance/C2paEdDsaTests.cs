using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.X509Certificates;
using SparseViT.Forensics.Provenance;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests.Provenance;

/// <summary>Claim signatures with EdDSA (Ed25519), which C2PA allows and .NET's COSE API cannot verify.</summary>
public class C2paEdDsaTests
{
    private static readonly Ed25519TestSigner Signer = new();
    private static byte[] Sample => File.ReadAllBytes(RepoPaths.Sample("sample_1.jpg"));

    private static ProvenanceReport Read(byte[] claim, byte[] cose, X509Certificate2Collection? anchors = null) =>
        ProvenanceReader.Read(C2paTestFiles.JpegWithStore(Sample, C2paTestFiles.Store(claim, cose)), trustAnchors: anchors);

    [Fact]
    public void An_ed25519_claim_signature_is_verified_and_its_signer_chains_to_its_root()
    {
        byte[] claim = C2paTestFiles.MinimalClaim();
        var anchors = new X509Certificate2Collection { X509CertificateLoader.LoadCertificate(Signer.AuthorityCertificate) };
        var report = Read(claim, Signer.Sign(claim), anchors);
        Assert.Contains(C2paStatus.ClaimSignatureValidated, report.Status.Success);
        Assert.Contains(C2paStatus.SigningCredentialTrusted, report.Status.Success);
        Assert.DoesNotContain(C2paStatus.AlgorithmUnsupported, report.Status.Failure);
        Assert.Equal("EdDSA", report.Signer!.Algorithm);
        Assert.Equal("Ed25519 Test Signer", report.Signer.CommonName);
    }

    [Fact]
    public void A_changed_signature_or_claim_byte_is_a_mismatch()
    {
        byte[] claim = C2paTestFiles.MinimalClaim();
        byte[] cose = Signer.Sign(claim);
        byte[] badSignature = (byte[])cose.Clone();
        badSignature[^10] ^= 0x01; // inside the 64-byte signature, the COSE array's last item
        Assert.Contains(C2paStatus.ClaimSignatureMismatch, Read(claim, badSignature).Status.Failure);

        byte[] otherClaim = (byte[])claim.Clone();
        otherClaim[^1] ^= 0x01; // "xmp:iid:tesu": the signature was over "…test"
        var report = Read(otherClaim, cose);
        Assert.Contains(C2paStatus.ClaimSignatureMismatch, report.Status.Failure);
        Assert.DoesNotContain(C2paStatus.ClaimSignatureValidated, report.Status.Success);
    }

    /// <summary>
    /// The to-be-signed bytes written for EdDSA are the ones .NET's own COSE implementation signs: an ES256 signature made by
    /// CoseSign1Message verifies over them with plain ECDSA.
    /// </summary>
    [Fact]
    public void The_sig_structure_matches_dotnets_cose_implementation()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] payload = C2paTestFiles.MinimalClaim();
        byte[] encoded = CoseSign1Message.SignDetached(payload, new CoseSigner(key, HashAlgorithmName.SHA256));
        var message = CoseMessage.DecodeSign1(encoded);
        byte[] toBeSigned = ClaimSignatureValidator.SigStructure(message.RawProtectedHeaders.Span, payload);
        Assert.True(key.VerifyData(toBeSigned, message.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        toBeSigned[^1] ^= 0x01;
        Assert.False(key.VerifyData(toBeSigned, message.Signature.Span, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }
}
