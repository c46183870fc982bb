using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-content-modified-after-signing</c> (high): the hard binding (c2pa.hash.data or c2pa.hash.bmff) no longer
/// matches the file's bytes, so the image was changed after its Content Credentials were signed.
/// </summary>
public sealed class C2paContentModifiedRule : IEvidenceRule
{
    public string Id => IndicatorIds.C2paContentModifiedAfterSigning;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true } p) return null;
        var code = p.Status.Failure.FirstOrDefault(c => c is C2paStatus.DataHashMismatch or C2paStatus.BmffHashMismatch);
        if (code is null) return null;
        return new EvidenceIndicator(Id, Severity.High,
            $"The image's bytes no longer match the {p.HardBinding} hash signed in its C2PA manifest ({code}): it was modified after signing" +
            (p.Signer?.CommonName is { } signer ? $" by {signer}." : "."),
            new Dictionary<string, object?> { ["manifest"] = p.ActiveManifest, ["code"] = code, ["hardBinding"] = p.HardBinding });
    }
}
