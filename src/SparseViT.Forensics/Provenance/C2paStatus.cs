namespace SparseViT.Forensics.Provenance;

/// <summary>The C2PA validation status codes this reader reports, spelled as the C2PA specification names them.</summary>
public static class C2paStatus
{
    public const string ClaimSignatureValidated = "claimSignature.validated";
    public const string ClaimSignatureMismatch = "claimSignature.mismatch";
    public const string ClaimSignatureMissing = "claimSignature.missing";
    public const string ClaimSignatureInsideValidity = "claimSignature.insideValidity";
    public const string ClaimSignatureOutsideValidity = "claimSignature.outsideValidity";
    public const string SigningCredentialTrusted = "signingCredential.trusted";
    public const string SigningCredentialUntrusted = "signingCredential.untrusted";
    public const string SigningCredentialInvalid = "signingCredential.invalid";
    public const string SigningCredentialOcspSkipped = "signingCredential.ocsp.skipped";
    public const string AlgorithmUnsupported = "algorithm.unsupported";
    public const string TimeStampValidated = "timeStamp.validated";
    public const string TimeStampTrusted = "timeStamp.trusted";
    public const string TimeStampUntrusted = "timeStamp.untrusted";
    public const string TimeStampMismatch = "timeStamp.mismatch";
    public const string TimeStampMalformed = "timeStamp.malformed";
    public const string HashedUriMatch = "assertion.hashedURI.match";
    public const string HashedUriMismatch = "assertion.hashedURI.mismatch";
    public const string AssertionMissing = "assertion.missing";
    public const string DataHashMatch = "assertion.dataHash.match";
    public const string DataHashMismatch = "assertion.dataHash.mismatch";
    public const string DataHashMalformed = "assertion.dataHash.malformed";
    public const string DataHashAdditionalExclusions = "assertion.dataHash.additionalExclusionsPresent";
    public const string BmffHashMatch = "assertion.bmffHash.match";
    public const string BmffHashMismatch = "assertion.bmffHash.mismatch";
    public const string BmffHashMalformed = "assertion.bmffHash.malformed";
    public const string BmffHashAdditionalExclusions = "assertion.bmffHash.additionalExclusionsPresent";
    public const string HardBindingsMissing = "claim.hardBindings.missing";
    public const string ClaimMissing = "claim.missing";
    public const string ClaimMalformed = "claim.malformed";
    public const string ManifestInaccessible = "manifest.inaccessible";
    public const string GeneralError = "general.error";
    /// <summary>c2pa-rs's code for a pre-1.0 manifest store, which is reported and not validated.</summary>
    public const string Prerelease = "com.adobe.prerelease";

    /// <summary>Codes that do not make a manifest invalid (c2pa-rs: an untrusted signer leaves the state Valid).</summary>
    public static bool LeavesValid(string failureCode) => failureCode == SigningCredentialUntrusted;
}
