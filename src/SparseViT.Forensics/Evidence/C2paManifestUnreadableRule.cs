namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-manifest-unreadable</c> (medium): the file carries C2PA data that cannot be parsed (truncated, oversized,
/// malformed or hostile). Legitimate tools do not write such stores; the pixel scan is unaffected.
/// </summary>
public sealed class C2paManifestUnreadableRule : IEvidenceRule
{
    public string Id => IndicatorIds.C2paManifestUnreadable;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true, ValidationState: "unreadable" } p) return null;
        return new EvidenceIndicator(Id, Severity.Medium,
            $"The file's C2PA manifest store cannot be read{(p.Location is null ? "" : $" ({p.Location})")}: {p.Error}.",
            new Dictionary<string, object?> { ["location"] = p.Location, ["error"] = p.Error });
    }
}
