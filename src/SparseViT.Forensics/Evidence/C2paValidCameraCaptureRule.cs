using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-valid-camera-capture</c> (informational): a manifest that verifies (its signer possibly untrusted) declares a
/// digital capture (c2pa.created with digitalSourceType digitalCapture), no edit actions, and the file's bytes still
/// match its hard binding. The verdict policy weighs this against a map-only finding.
/// </summary>
public sealed class C2paValidCameraCaptureRule : IEvidenceRule
{
    public string Id => IndicatorIds.C2paValidCameraCapture;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true, ValidationState: "valid" or "trusted" } p) return null;
        bool bound = p.Status.Success.Any(c => c is C2paStatus.DataHashMatch or C2paStatus.BmffHashMatch);
        bool captured = p.Actions.Any(a => a.Action == "c2pa.created" && a.DigitalSourceType?.EndsWith("/digitalCapture", StringComparison.Ordinal) == true);
        bool edited = p.Actions.Any(a => !C2paEditedRule.NonEditing.Contains(a.Action));
        if (!bound || !captured || edited || p.AiGenerated) return null;
        return new EvidenceIndicator(Id, Severity.Info,
            $"A valid C2PA capture manifest ({p.ValidationState}, signed by {p.Signer?.CommonName ?? "an unknown signer"}) covers these exact bytes and declares no edits.",
            new Dictionary<string, object?> { ["manifest"] = p.ActiveManifest, ["validationState"] = p.ValidationState, ["signer"] = p.Signer?.CommonName });
    }
}
