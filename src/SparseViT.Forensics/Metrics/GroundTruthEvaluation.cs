using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;

namespace SparseViT.Forensics.Metrics;

/// <summary>
/// A folder of ground-truth masks, matched to images by file-name stem. Masks may carry the suffixes the
/// common datasets use (CASIA's "_gt", others' "_mask"), so `Tp/x.jpg` finds `Gt/x.png` or `Gt/x_gt.png`.
/// </summary>
public sealed class GroundTruthFolder
{
    private static readonly string[] Suffixes = ["", "_gt", "_mask"];
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"];

    public GroundTruthFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"the ground-truth folder '{folder}' does not exist");
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    /// <summary>The mask for <paramref name="imagePath"/>, or null when the folder has none.</summary>
    public string? FindMask(string imagePath)
    {
        string stem = Path.GetFileNameWithoutExtension(imagePath);
        foreach (string suffix in Suffixes)
            foreach (string extension in Extensions)
            {
                string candidate = Path.Combine(Folder, stem + suffix + extension);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}

/// <summary>One image scored by the model and, when it has a mask, measured against it at the original size.</summary>
public sealed record ImageEvaluation(string ImagePath, string? MaskPath, double Score, PixelMetrics? Pixel)
{
    /// <summary>Image-level truth: a mask with manipulated pixels; an image without a mask counts as authentic.</summary>
    public bool IsManipulated => Pixel is { } p && p.TruePositives + p.FalseNegatives > 0;

    public ImageScore ToImageScore() => new(Score, IsManipulated);

    /// <summary>
    /// Decodes the image, predicts its map and compares the original-size map with the mask (binarised as
    /// <see cref="GroundTruthMask"/> does). The image-level score is the map's maximum, the field's convention.
    /// </summary>
    /// <exception cref="GroundTruthSizeMismatchException">The mask's size differs from the image's.</exception>
    public static ImageEvaluation Measure(SparseViTPredictor predictor, string imagePath, string? maskPath, double threshold)
    {
        var decoded = ImageDecoder.Decode(imagePath);
        GroundTruthMask? truth = null;
        if (maskPath is not null)
        {
            truth = GroundTruthMask.Load(maskPath);
            if (truth.Width != decoded.Width || truth.Height != decoded.Height)
                throw new GroundTruthSizeMismatchException($"{maskPath}: the mask is {truth.Width}x{truth.Height} but the image is {decoded.Width}x{decoded.Height}");
        }
        var map = predictor.Predict(decoded.Image);
        double score = map.Values.Max();
        return new ImageEvaluation(imagePath, maskPath, score, truth is null ? null : PixelMetrics.Compute(map.ToOriginalSize(), truth, threshold));
    }
}

/// <summary>A ground-truth mask whose size is not the image's: it belongs to another image or was resized.</summary>
public sealed class GroundTruthSizeMismatchException(string message) : IOException(message);
