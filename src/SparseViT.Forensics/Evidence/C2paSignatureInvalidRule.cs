using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-signature-invalid</c> (high): the active manifest's claim signature, signing credential or assertion hashes
/// do not verify. Someone altered the manifest after signing, or forged it.
/// </summary>
public sealed class C2paSignatureInvalidRule : IEvidenceRule
{
    private static readonly string[] Codes =
    [
        C2paStatus.ClaimSignatureMismatch, C2paStatus.ClaimSignatureMissing, C2paStatus.ClaimSignatureOutsideValidity,
        C2paStatus.SigningCredentialInvalid, C2paStatus.AlgorithmUnsupported, C2paStatus.HashedUriMismatch, C2paStatus.AssertionMissing,
        C2paStatus.ClaimMissing, C2paStatus.ClaimMalformed,
    ];

    public string Id => IndicatorIds.C2paSignatureInvalid;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true } p) return null;
        var failed = p.Status.Failure.Where(Codes.Contains).ToArray();
        if (failed.Length == 0) return null;
        return new EvidenceIndicator(Id, Severity.High,
            $"The C2PA manifest {p.ActiveManifest} does not verify ({string.Join(", ", failed)}){(p.Error is null ? "" : ": " + p.Error)}.",
            new Dictionary<string, object?> { ["manifest"] = p.ActiveManifest, ["codes"] = failed, ["signer"] = p.Signer?.CommonName });
    }
}
