namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>editing-software</c> (medium): EXIF Software, XMP CreatorTool or an XMP history agent names an image
/// editor from <see cref="EvidenceOptions.EditorNames"/>. It shows the file passed through an editor, not what changed.
/// </summary>
public sealed class EditingSoftwareRule(EvidenceOptions options) : IEvidenceRule
{
    public string Id => IndicatorIds.EditingSoftware;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        var metadata = context.Metadata;
        var sources = new List<(string Field, string Value)>();
        if (metadata.Software is { } software) sources.Add(("software", software));
        if (metadata.CreatorTool is { } creatorTool) sources.Add(("creatorTool", creatorTool));
        foreach (var agent in metadata.EditHistory.Select(e => e.SoftwareAgent).OfType<string>().Distinct())
            sources.Add(("editHistory", agent));

        var named = sources.Where(s => options.EditorNames.Any(n => s.Value.Contains(n, StringComparison.OrdinalIgnoreCase))).ToArray();
        if (named.Length == 0) return null;
        var editors = named.Select(s => s.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        return new EvidenceIndicator(Id, Severity.Medium,
            $"The file names image-editing software ({string.Join(", ", editors)}): it was saved by an editor after capture.",
            new Dictionary<string, object?>
            {
                ["software"] = metadata.Software,
                ["creatorTool"] = metadata.CreatorTool,
                ["historyAgents"] = metadata.EditHistory.Select(e => e.SoftwareAgent).OfType<string>().Distinct().ToArray(),
                ["editors"] = editors,
            });
    }
}
