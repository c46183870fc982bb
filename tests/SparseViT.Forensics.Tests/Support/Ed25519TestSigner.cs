using System.Formats.Cbor;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace SparseViT.Forensics.Tests.Support;

/// <summary>
/// An Ed25519 certificate authority and signer made with BouncyCastle (.NET cannot create Ed25519 certificates), and
/// COSE_Sign1 EdDSA signatures of a claim written the way RFC 9052 lays them out.
/// </summary>
internal sealed class Ed25519TestSigner
{
    private readonly Ed25519PrivateKeyParameters _signerKey;

    public byte[] AuthorityCertificate { get; }
    public byte[] SignerCertificate { get; }

    public Ed25519TestSigner()
    {
        var random = new SecureRandom();
        var authority = KeyPair(random);
        var signer = KeyPair(random);
        _signerKey = (Ed25519PrivateKeyParameters)signer.Private;
        var authorityName = new X509Name("CN=Ed25519 Test Root, O=SparseViT tests");
        AuthorityCertificate = Certificate(authorityName, authorityName, authority.Public, authority.Private, 1, ca: true);
        SignerCertificate = Certificate(new X509Name("CN=Ed25519 Test Signer, O=SparseViT tests"), authorityName, signer.Public, authority.Private, 2, ca: false);
    }

    /// <summary>COSE_Sign1 (tag 18): protected {alg: EdDSA (-8), x5chain: [signer, authority]}, detached payload.</summary>
    public byte[] Sign(byte[] claim)
    {
        var header = new CborWriter();
        header.WriteStartMap(2);
        header.WriteInt32(1); header.WriteInt32(-8);
        header.WriteInt32(33);
        header.WriteStartArray(2);
        header.WriteByteString(SignerCertificate);
        header.WriteByteString(AuthorityCertificate);
        header.WriteEndArray();
        header.WriteEndMap();
        byte[] protectedHeaders = header.Encode();

        var toBeSigned = new CborWriter();
        toBeSigned.WriteStartArray(4);
        toBeSigned.WriteTextString("Signature1");
        toBeSigned.WriteByteString(protectedHeaders);
        toBeSigned.WriteByteString([]);
        toBeSigned.WriteByteString(claim);
        toBeSigned.WriteEndArray();
        byte[] message = toBeSigned.Encode();
        var signer = new Ed25519Signer();
        signer.Init(true, _signerKey);
        signer.BlockUpdate(message, 0, message.Length);
        byte[] signature = signer.GenerateSignature();

        var cose = new CborWriter();
        cose.WriteTag((CborTag)18);
        cose.WriteStartArray(4);
        cose.WriteByteString(protectedHeaders);
        cose.WriteStartMap(0); cose.WriteEndMap();
        cose.WriteNull();
        cose.WriteByteString(signature);
        cose.WriteEndArray();
        return cose.Encode();
    }

    private static Org.BouncyCastle.Crypto.AsymmetricCipherKeyPair KeyPair(SecureRandom random)
    {
        var generator = new Ed25519KeyPairGenerator();
        generator.Init(new Ed25519KeyGenerationParameters(random));
        return generator.GenerateKeyPair();
    }

    private static byte[] Certificate(X509Name subject, X509Name issuer, Org.BouncyCastle.Crypto.AsymmetricKeyParameter publicKey,
        Org.BouncyCastle.Crypto.AsymmetricKeyParameter issuerKey, long serial, bool ca)
    {
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(BigInteger.ValueOf(serial));
        generator.SetSubjectDN(subject);
        generator.SetIssuerDN(issuer);
        generator.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        generator.SetNotAfter(DateTime.UtcNow.AddYears(1));
        generator.SetPublicKey(publicKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(ca));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(ca ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature));
        return generator.Generate(new Asn1SignatureFactory("Ed25519", issuerKey)).GetEncoded();
    }
}
