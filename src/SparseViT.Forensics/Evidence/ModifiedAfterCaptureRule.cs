namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>modified-after-capture</c> (medium): IFD0 DateTime is later than DateTimeOriginal (or, lacking it,
/// DateTimeDigitized) by more than <see cref="EvidenceOptions.CaptureClockTolerance"/>. Cameras write both at
/// capture; software that re-saves the file updates only DateTime.
/// </summary>
public sealed class ModifiedAfterCaptureRule(EvidenceOptions options) : IEvidenceRule
{
    public string Id => IndicatorIds.ModifiedAfterCapture;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        var metadata = context.Metadata;
        var captured = metadata.DateTimeOriginal ?? metadata.DateTimeDigitized;
        if (captured is null || metadata.DateTimeModified is not { } modified) return null;
        var gap = modified - captured.Value;
        if (gap <= options.CaptureClockTolerance) return null;
        return new EvidenceIndicator(Id, Severity.Medium,
            $"The file was modified {Describe(gap)} after capture (DateTime {modified:yyyy-MM-dd HH:mm:ss}, captured {captured:yyyy-MM-dd HH:mm:ss}).",
            new Dictionary<string, object?>
            {
                ["dateTimeOriginal"] = metadata.DateTimeOriginal,
                ["dateTimeDigitized"] = metadata.DateTimeDigitized,
                ["dateTimeModified"] = modified,
                ["differenceSeconds"] = (long)gap.TotalSeconds,
            });
    }

    private static string Describe(TimeSpan gap) =>
        gap.TotalDays >= 1 ? $"{gap.TotalDays:0.#} days" : gap.TotalHours >= 1 ? $"{gap.TotalHours:0.#} hours" : $"{gap.TotalMinutes:0.#} minutes";
}
