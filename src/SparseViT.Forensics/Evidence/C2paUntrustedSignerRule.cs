using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-untrusted-signer</c> (low): the manifest's signature verifies, but its signer does not chain to a trust
/// anchor the user supplied, or none was supplied. Anyone can sign with their own certificate.
/// </summary>
public sealed class C2paUntrustedSignerRule : IEvidenceRule
{
    public string Id => IndicatorIds.C2paUntrustedSigner;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true } p || !p.Status.Failure.Contains(C2paStatus.SigningCredentialUntrusted)) return null;
        return new EvidenceIndicator(Id, Severity.Low,
            $"The C2PA signer {p.Signer?.Subject ?? "(unknown)"} (issued by {p.Signer?.Issuer ?? "(unknown)"}) is not on a trust list; " +
            "give the scan a trust list of C2PA signers to check who signed.",
            new Dictionary<string, object?> { ["signer"] = p.Signer?.Subject, ["issuer"] = p.Signer?.Issuer });
    }
}
