namespace SparseViT.Forensics.Evidence;

/// <summary>Tunable limits of the evidence rules; defaults are the documented ones.</summary>
public sealed record EvidenceOptions
{
    /// <summary>
    /// Substrings (case-insensitive) of Software / CreatorTool / XMP history agents that name an image editor.
    /// Camera firmware strings ("Ver.1.01", "iOS 17.2") are deliberately absent: they are not edits.
    /// </summary>
    public IReadOnlyList<string> EditorNames { get; init; } =
    [
        "photoshop", "lightroom", "camera raw", "gimp", "paint.net", "paintshop", "affinity", "pixelmator", "capture one",
        "darktable", "rawtherapee", "snapseed", "picasa", "acdsee", "corel", "photoscape", "fotor", "canva", "luminar",
        "krita", "imagemagick", "graphicsmagick", "facetune", "meitu", "picsart", "photodirector", "photopea", "illustrator",
        "photo editor", "aperture", "iphoto", "digikam", "xnview", "irfanview",
    ];

    /// <summary>IFD0 DateTime may trail DateTimeOriginal by this much without counting as a later modification.</summary>
    public TimeSpan CaptureClockTolerance { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Mean absolute difference (0..255, averaged over pixels and channels) between the EXIF thumbnail and the
    /// image downscaled to the thumbnail's size above which they are said to disagree. Re-encoding and different
    /// resamplers leave about 2–6; a changed scene leaves far more.
    /// </summary>
    public double ThumbnailMeanDifference { get; init; } = 12;

    /// <summary>
    /// The same difference over the worst 8×8 block of the thumbnail, to catch local edits that barely move the
    /// global mean (a pasted object covering a few percent of the frame).
    /// </summary>
    public double ThumbnailBlockDifference { get; init; } = 40;

    /// <summary>Relative difference of aspect ratios below which thumbnail and image are taken to have the same shape.</summary>
    public double AspectTolerance { get; init; } = 0.03;
}
