using System.Formats.Asn1;
using System.Formats.Cbor;
using System.Security.Cryptography;
using System.Security.Cryptography.Cose;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// Verifies a claim signature: COSE_Sign1 over the claim bytes (detached payload) with an algorithm C2PA allows, the
/// signer's x5chain (bounded), the certificate's validity at signing time, an RFC 3161 time stamp when present
/// ('sigTst' over the claim, 'sigTst2' over the signature), and trust against user-supplied anchors. Revocation
/// (OCSP/CRL) is never fetched: reported as signingCredential.ocsp.skipped.
/// </summary>
internal static class ClaimSignatureValidator
{
    public const int MaxChainLength = 32;

    private static readonly Dictionary<long, string> Algorithms = new()
    {
        [-7] = "ES256", [-35] = "ES384", [-36] = "ES512", [-37] = "PS256", [-38] = "PS384", [-39] = "PS512", [-8] = "EdDSA",
    };

    internal sealed record Result(ProvenanceStatusBuilder Status, ProvenanceSigner? Signer, DateTimeOffset? SigningTime, string? TimeStampAuthority);

    public static Result Validate(ReadOnlyMemory<byte>? signature, ReadOnlyMemory<byte> claim, X509Certificate2Collection? trustAnchors)
    {
        var status = new ProvenanceStatusBuilder();
        if (signature is null || signature.Value.IsEmpty) { status.Fail(C2paStatus.ClaimSignatureMissing); return new(status, null, null, null); }
        CoseSign1Message message;
        try
        {
            message = CoseMessage.DecodeSign1(signature.Value.Span);
        }
        catch (CryptographicException e)
        {
            status.Fail(C2paStatus.ClaimSignatureMismatch, $"the signature is not a COSE_Sign1 message ({e.Message})");
            return new(status, null, null, null);
        }
        string? algorithm = message.ProtectedHeaders.TryGetValue(CoseHeaderLabel.Algorithm, out var a) && TryInt(a) is { } id
            ? Algorithms.GetValueOrDefault(id) : null;
        var chain = ReadChain(message, status);
        if (chain is null || chain.Count == 0)
        {
            status.Fail(C2paStatus.SigningCredentialInvalid, status.Detail ?? "the signature carries no x5chain certificate");
            return new(status, null, null, null);
        }
        var leaf = chain[0];
        var signer = Describe(leaf, algorithm, chain.Count);

        bool? verified = algorithm switch
        {
            null => null,
            "EdDSA" => VerifyEd25519(message, leaf, claim.Span),
            _ => VerifySignature(message, leaf, claim.Span),
        };
        if (verified is null)
            status.Fail(C2paStatus.AlgorithmUnsupported, algorithm is null ? "algorithm unknown cannot be verified here"
                : $"algorithm {algorithm} with a {leaf.PublicKey.Oid.FriendlyName ?? leaf.PublicKey.Oid.Value} key cannot be verified here");
        else if (verified.Value) status.Succeed(C2paStatus.ClaimSignatureValidated);
        else status.Fail(C2paStatus.ClaimSignatureMismatch);

        var (time, authority) = CheckTimeStamp(message, claim.Span, status);
        var at = time ?? DateTimeOffset.UtcNow;
        if (at >= leaf.NotBefore.ToUniversalTime() && at <= leaf.NotAfter.ToUniversalTime()) status.Succeed(C2paStatus.ClaimSignatureInsideValidity);
        else status.Fail(C2paStatus.ClaimSignatureOutsideValidity, $"signed at {at:O}, outside the certificate's validity {leaf.NotBefore:O}..{leaf.NotAfter:O}");

        if (trustAnchors is { Count: > 0 } && ChainsTo(chain, trustAnchors, at)) status.Succeed(C2paStatus.SigningCredentialTrusted);
        else status.Fail(C2paStatus.SigningCredentialUntrusted);
        status.Inform(C2paStatus.SigningCredentialOcspSkipped);
        return new(status, signer, time, authority);
    }

    private static bool VerifySignature(CoseSign1Message message, X509Certificate2 leaf, ReadOnlySpan<byte> claim)
    {
        try
        {
            using AsymmetricAlgorithm? key = (AsymmetricAlgorithm?)leaf.GetECDsaPublicKey() ?? leaf.GetRSAPublicKey() ?? RsaPssKey(leaf);
            return key is not null && message.VerifyDetached(key, claim);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// EdDSA (COSE -8) with an Ed25519 signer key (OID 1.3.101.112): the RFC 9052 Sig_structure over the detached claim,
    /// verified with BouncyCastle's RFC 8032 implementation. Null for an EdDSA signer whose key is not Ed25519 (Ed448).
    /// </summary>
    private static bool? VerifyEd25519(CoseSign1Message message, X509Certificate2 leaf, ReadOnlySpan<byte> claim)
    {
        if (leaf.PublicKey.Oid.Value != "1.3.101.112") return null;
        byte[] key = leaf.PublicKey.EncodedKeyValue.RawData;
        var signature = message.Signature.Span;
        if (key.Length != Ed25519.PublicKeySize || signature.Length != Ed25519.SignatureSize) return false;
        byte[] toBeSigned = SigStructure(message.RawProtectedHeaders.Span, claim);
        return Ed25519.Verify(signature.ToArray(), 0, key, 0, toBeSigned, 0, toBeSigned.Length);
    }

    /// <summary>
    /// COSE's to-be-signed bytes (RFC 9052 §4.4): [context, protected, external_aad = h'', payload], with context
    /// "Signature1" for COSE_Sign1 and "CounterSignature" for a time stamp's countersignature (without a signer header).
    /// </summary>
    internal static byte[] SigStructure(ReadOnlySpan<byte> encodedProtectedHeaders, ReadOnlySpan<byte> payload, string context = "Signature1")
    {
        var writer = new CborWriter();
        writer.WriteStartArray(4);
        writer.WriteTextString(context);
        writer.WriteByteString(encodedProtectedHeaders);
        writer.WriteByteString([]);
        writer.WriteByteString(payload);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>C2PA signers often carry an id-RSASSA-PSS key (OID 1.2.840.113549.1.1.10), which .NET does not map to RSA itself.</summary>
    private static RSA? RsaPssKey(X509Certificate2 certificate)
    {
        if (certificate.PublicKey.Oid.Value != "1.2.840.113549.1.1.10") return null;
        var rsa = RSA.Create();
        rsa.ImportRSAPublicKey(certificate.PublicKey.EncodedKeyValue.RawData, out _);
        return rsa;
    }

    private static List<X509Certificate2>? ReadChain(CoseSign1Message message, ProvenanceStatusBuilder status)
    {
        var label = new CoseHeaderLabel(33);
        if (!message.ProtectedHeaders.TryGetValue(label, out var value) && !message.UnprotectedHeaders.TryGetValue(label, out value)) return null;
        var reader = new CborReader(value.EncodedValue, CborConformanceMode.Lax);
        var certificates = new List<X509Certificate2>();
        try
        {
            if (reader.PeekState() == CborReaderState.ByteString) certificates.Add(Load(reader.ReadByteString()));
            else
            {
                int? count = reader.ReadStartArray();
                if (count is > MaxChainLength)
                {
                    status.Detail = $"the x5chain holds {count} certificates, more than the {MaxChainLength} read";
                    return null;
                }
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    if (certificates.Count == MaxChainLength)
                    {
                        status.Detail = $"the x5chain holds more than the {MaxChainLength} certificates read";
                        return null;
                    }
                    certificates.Add(Load(reader.ReadByteString()));
                }
            }
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or CryptographicException)
        {
            status.Detail = $"the x5chain cannot be read ({e.Message})";
            return null;
        }
        return certificates;
    }

    private static X509Certificate2 Load(byte[] der) => new(der);

    private static ProvenanceSigner Describe(X509Certificate2 leaf, string? algorithm, int chainLength) => new()
    {
        CommonName = leaf.GetNameInfo(X509NameType.SimpleName, forIssuer: false),
        Organization = Attribute(leaf.SubjectName, "O"),
        Subject = leaf.Subject,
        Issuer = leaf.Issuer,
        SerialNumber = leaf.SerialNumber.ToLowerInvariant(),
        NotBefore = leaf.NotBefore.ToUniversalTime(),
        NotAfter = leaf.NotAfter.ToUniversalTime(),
        Algorithm = algorithm,
        ChainLength = chainLength,
    };

    private static string? Attribute(X500DistinguishedName name, string key) =>
        name.EnumerateRelativeDistinguishedNames().Where(r => r.GetSingleElementType().FriendlyName == key || r.GetSingleElementType().Value == "2.5.4.10")
            .Select(r => r.GetSingleElementValue()).FirstOrDefault();

    private static bool ChainsTo(List<X509Certificate2> chain, X509Certificate2Collection anchors, DateTimeOffset at)
    {
        using var builder = new X509Chain();
        builder.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        builder.ChainPolicy.CustomTrustStore.AddRange(anchors);
        builder.ChainPolicy.ExtraStore.AddRange(chain.Skip(1).ToArray());
        builder.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        builder.ChainPolicy.VerificationTime = at.UtcDateTime;
        builder.ChainPolicy.DisableCertificateDownloads = true;
        try { return builder.Build(chain[0]); }
        catch (CryptographicException) { return false; }
    }

    /// <summary>
    /// The RFC 3161 token in 'sigTst2' (imprint over the signature as a CBOR byte string) or 'sigTst' (over the claim),
    /// each inside a COSE CounterSignature structure; its time when it verifies.
    /// </summary>
    private static (DateTimeOffset? Time, string? Authority) CheckTimeStamp(CoseSign1Message message, ReadOnlySpan<byte> claim, ProvenanceStatusBuilder status)
    {
        bool v2 = message.UnprotectedHeaders.TryGetValue(new CoseHeaderLabel("sigTst2"), out var header);
        if (!v2 && !message.UnprotectedHeaders.TryGetValue(new CoseHeaderLabel("sigTst"), out header)) return (null, null);
        try
        {
            var container = CborData.Decode(header.EncodedValue) as IReadOnlyDictionary<string, object?>;
            var tokens = container.List("tstTokens").OfType<IReadOnlyDictionary<string, object?>>().ToList();
            if (tokens.Count != 1 || tokens[0].Bytes("val") is not { } der || DecodeToken(der) is not { } token)
            {
                status.Inform(C2paStatus.TimeStampMalformed);
                return (null, null);
            }
            byte[] payload = v2 ? EncodeByteString(message.Signature.Span) : claim.ToArray();
            byte[] countersigned = SigStructure(message.RawProtectedHeaders.Span, payload, "CounterSignature");
            if (!token.VerifySignatureForData(countersigned, out var tsa))
            {
                status.Inform(C2paStatus.TimeStampMismatch);
                return (null, null);
            }
            status.Succeed(C2paStatus.TimeStampValidated);
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = token.TokenInfo.Timestamp.UtcDateTime;
            chain.ChainPolicy.ExtraStore.AddRange(token.AsSignedCms().Certificates);
            if (tsa is not null && chain.Build(tsa)) status.Succeed(C2paStatus.TimeStampTrusted);
            else status.Inform(C2paStatus.TimeStampUntrusted);
            return (token.TokenInfo.Timestamp, tsa?.GetNameInfo(X509NameType.SimpleName, false));
        }
        catch (Exception e) when (e is CryptographicException or ProvenanceFormatException or CborContentException or InvalidOperationException)
        {
            status.Inform(C2paStatus.TimeStampMalformed);
            return (null, null);
        }
    }

    /// <summary>A bare TimeStampToken (sigTst2), or the one inside a TimeStampResp (as 'sigTst' of C2PA 1.x stores it).</summary>
    private static Rfc3161TimestampToken? DecodeToken(byte[] der)
    {
        if (Rfc3161TimestampToken.TryDecode(der, out var token, out _)) return token;
        try
        {
            var response = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            response.ReadEncodedValue(); // PKIStatusInfo
            return response.HasData && Rfc3161TimestampToken.TryDecode(response.ReadEncodedValue(), out token, out _) ? token : null;
        }
        catch (AsnContentException)
        {
            return null;
        }
    }

    private static byte[] EncodeByteString(ReadOnlySpan<byte> bytes)
    {
        var writer = new CborWriter();
        writer.WriteByteString(bytes);
        return writer.Encode();
    }

    private static long? TryInt(CoseHeaderValue value)
    {
        try { return value.GetValueAsInt32(); } catch (InvalidOperationException) { return null; }
    }
}
