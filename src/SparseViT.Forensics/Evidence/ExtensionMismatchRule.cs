namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>extension-mismatch</c> (low): the file's signature says one format and its name another
/// (a PNG named .jpg). Usually careless renaming, sometimes an attempt to disguise a conversion.
/// </summary>
public sealed class ExtensionMismatchRule : IEvidenceRule
{
    public string Id => IndicatorIds.ExtensionMismatch;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        var metadata = context.Metadata;
        if (metadata.ExtensionMatchesFormat != false) return null;
        return new EvidenceIndicator(Id, Severity.Low,
            $"The file is {metadata.DetectedFormat} but its name ends in .{metadata.FileExtension}.",
            new Dictionary<string, object?>
            {
                ["extension"] = metadata.FileExtension,
                ["detectedFormat"] = metadata.DetectedFormat,
                ["expectedExtensions"] = metadata.ExpectedExtensions.ToArray(),
            });
    }
}
