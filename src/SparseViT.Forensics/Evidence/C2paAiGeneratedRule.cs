namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-ai-generated</c> (medium): a manifest in the file's C2PA chain declares generative or algorithmic content
/// (IPTC digital source type trainedAlgorithmicMedia, compositeWithTrainedAlgorithmicMedia, algorithmicMedia or
/// compositeSynthetic). Reported whatever the map says, naming the assertion.
/// </summary>
public sealed class C2paAiGeneratedRule : IEvidenceRule
{
    public string Id => IndicatorIds.C2paAiGenerated;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true, AiGenerated: true } p) return null;
        return new EvidenceIndicator(Id, Severity.Medium,
            $"Its C2PA manifest declares AI-generated or algorithmic content: {p.AiAssertion}" +
            (p.ValidationState is "valid" or "trusted" ? "." : $" (the manifest is {p.ValidationState})."),
            new Dictionary<string, object?> { ["assertion"] = p.AiAssertion, ["validationState"] = p.ValidationState });
    }
}
