using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Imaging;

namespace SparseViT.Forensics.Evidence;

/// <summary>
/// How far an EXIF thumbnail is from the image it claims to preview. The image is area-averaged down to the
/// thumbnail's size and compared per channel on the 0..255 scale. When the shapes differ (many cameras put a 3:2
/// frame in a 4:3 thumbnail with black bars), the image is also fitted inside the thumbnail, centerd, and the
/// better of the stretched and fitted comparisons is kept, so letterboxing alone is never a mismatch.
/// </summary>
public sealed record ThumbnailComparison(
    int ThumbnailWidth, int ThumbnailHeight, double ThumbnailAspect, double ImageAspect,
    string Mode, double MeanDifference, double MaxBlockDifference)
{
    private const int Block = 8;

    public static ThumbnailComparison Compare(RgbImage thumbnail, RgbImage image, double aspectTolerance)
    {
        double thumbnailAspect = (double)thumbnail.Width / thumbnail.Height, imageAspect = (double)image.Width / image.Height;
        var best = Measure(thumbnail, image, 0, 0, thumbnail.Width, thumbnail.Height, "stretched");
        if (Math.Abs(thumbnailAspect / imageAspect - 1) > aspectTolerance)
        {
            int w = thumbnail.Width, h = thumbnail.Height;
            if (imageAspect > thumbnailAspect) h = Math.Max(1, (int)Math.Round(w / imageAspect));
            else w = Math.Max(1, (int)Math.Round(h * imageAspect));
            var fitted = Measure(thumbnail, image, (thumbnail.Width - w) / 2, (thumbnail.Height - h) / 2, w, h, "fitted");
            if (fitted.MeanDifference < best.MeanDifference) best = fitted;
        }
        return best with { ThumbnailAspect = Math.Round(thumbnailAspect, 4), ImageAspect = Math.Round(imageAspect, 4) };
    }

    private static ThumbnailComparison Measure(RgbImage thumbnail, RgbImage image, int left, int top, int width, int height, string mode)
    {
        var reduced = AreaDownscale.Resize(image, width, height);
        int blocksX = (width + Block - 1) / Block, blocksY = (height + Block - 1) / Block;
        var blockSum = new double[blocksX * blocksY];
        var blockCount = new int[blocksX * blocksY];
        double total = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int t = ((top + y) * thumbnail.Width + left + x) * 3, r = (y * width + x) * 3;
                double d = Math.Abs(thumbnail.Pixels[t] - reduced[r]) + Math.Abs(thumbnail.Pixels[t + 1] - reduced[r + 1]) +
                           Math.Abs(thumbnail.Pixels[t + 2] - reduced[r + 2]);
                total += d;
                int b = (y / Block) * blocksX + x / Block;
                blockSum[b] += d;
                blockCount[b]++;
            }
        }
        double maxBlock = 0;
        for (int b = 0; b < blockSum.Length; b++) maxBlock = Math.Max(maxBlock, blockSum[b] / (3.0 * blockCount[b]));
        return new ThumbnailComparison(thumbnail.Width, thumbnail.Height, 0, 0, mode,
            Math.Round(total / (3.0 * width * height), 3), Math.Round(maxBlock, 3));
    }
}
