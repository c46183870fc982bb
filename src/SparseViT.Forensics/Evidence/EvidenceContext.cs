using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Metadata;

namespace SparseViT.Forensics.Evidence;

/// <summary>What the rules look at: the metadata and the decoded image as the model saw it (stored orientation).</summary>
/// <param name="Image">Decoded pixels; rules that need them (thumbnail comparison) are skipped when null.</param>
public sealed record EvidenceContext(string Path, ImageMetadata Metadata, int Width, int Height, RgbImage? Image = null)
{
    public static EvidenceContext From(string path, ImageMetadata metadata, RgbImage image) =>
        new(path, metadata, image.Width, image.Height, image);
}
