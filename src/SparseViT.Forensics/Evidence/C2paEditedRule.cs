using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>c2pa-edited</c> (low): the active manifest records edit actions (anything beyond created, opened, published,
/// transcoded, repackaged, managed), listed. The edits are declared by the signer, not hidden.
/// </summary>
public sealed class C2paEditedRule : IEvidenceRule
{
    internal static readonly HashSet<string> NonEditing = new(StringComparer.Ordinal)
    {
        "c2pa.created", "c2pa.opened", "c2pa.published", "c2pa.transcoded", "c2pa.repackaged", "c2pa.managed",
    };

    public string Id => IndicatorIds.C2paEdited;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        if (context.Metadata.Provenance is not { Present: true } p) return null;
        var edits = p.Actions.Select(a => a.Action).Where(a => !NonEditing.Contains(a)).Distinct().ToArray();
        if (edits.Length == 0) return null;
        return new EvidenceIndicator(Id, Severity.Low,
            $"Its C2PA manifest declares edits: {string.Join(", ", edits)}" + (p.ClaimGenerator is { } g ? $" (claim generator {g})." : "."),
            new Dictionary<string, object?> { ["actions"] = edits, ["claimGenerator"] = p.ClaimGenerator });
    }
}
