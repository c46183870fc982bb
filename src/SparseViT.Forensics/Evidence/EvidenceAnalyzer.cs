namespace SparseViT.Forensics.Evidence;

/// <summary>Runs the evidence rules over one file and returns the indicators that fired, most severe first.</summary>
public sealed class EvidenceAnalyzer
{
    private readonly IReadOnlyList<IEvidenceRule> _rules;

    public EvidenceAnalyzer(EvidenceOptions? options = null) : this(DefaultRules(options ?? new EvidenceOptions())) { }

    public EvidenceAnalyzer(IEnumerable<IEvidenceRule> rules) => _rules = rules.ToArray();

    public IReadOnlyList<IEvidenceRule> Rules => _rules;

    public static IReadOnlyList<IEvidenceRule> DefaultRules(EvidenceOptions options) =>
    [
        new EditingSoftwareRule(options),
        new ModifiedAfterCaptureRule(options),
        new ExifDimensionMismatchRule(),
        new ThumbnailMismatchRule(options),
        new NoCameraMetadataRule(),
        new ExtensionMismatchRule(),
        new EditorQuantizationRule(),
        new C2paSignatureInvalidRule(),
        new C2paContentModifiedRule(),
        new C2paAiGeneratedRule(),
        new C2paEditedRule(),
        new C2paUntrustedSignerRule(),
        new C2paValidCameraCaptureRule(),
        new C2paManifestUnreadableRule(),
        new C2paManifestStrippedRule(),
    ];

    public IReadOnlyList<EvidenceIndicator> Analyze(EvidenceContext context) =>
        _rules.Select(r => r.Evaluate(context)).OfType<EvidenceIndicator>()
            .OrderByDescending(i => i.Severity).ToArray();
}
