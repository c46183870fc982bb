namespace SparseViT.Forensics.Scoring;

/// <summary>
/// One 8-connected group of pixels at or above the threshold. <see cref="Box"/> is in original-image pixels;
/// <see cref="AreaPixels"/> counts model-resolution pixels and <see cref="AreaFraction"/> is the share of the image.
/// </summary>
public sealed record ManipulatedRegion(RegionBox Box, int AreaPixels, double AreaFraction, double MeanScore, double MaxScore);
