namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-manifest-stripped</c> (low): XMP dcterms:provenance still points at an embedded manifest ("self#jumbf=…")
/// that the file no longer contains: its Content Credentials were removed, typically by re-saving in a tool that drops them.
/// </summary>
public sealed class C2paManifestStrippedRule : IEvidenceRule
{
    public string Id => IndicatorIds.C2paManifestStripped;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: false, XmpProvenance: { } reference } || !reference.StartsWith("self#jumbf=", StringComparison.Ordinal))
            return null;
        return new EvidenceIndicator(Id, Severity.Low,
            $"XMP says the file carried Content Credentials ({reference}), but it holds no C2PA manifest: they were removed.",
            new Dictionary<string, object?> { ["xmpProvenance"] = reference });
    }
}
