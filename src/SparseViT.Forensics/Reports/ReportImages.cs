using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Imaging;
using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Reports;

/// <summary>
/// The two pictures an HTML report shows per image, at a bounded size: the photo, and the probability map as a heat map
/// over it (from the mask PNG the scan saved). Both are JPEGs; the originals are re-read from the record's path.
/// </summary>
internal static class ReportImages
{
    public const int MaxSide = 320;

    public sealed record Pictures(byte[] Photo, byte[]? HeatMap, int Width, int Height, string? Problem);

    public static Pictures Render(ForensicRecord record)
    {
        RgbImage photo;
        try
        {
            photo = ImageDecoder.Decode(record.Path).Image;
        }
        catch (Exception e) when (e is ImageDecodeException or IOException or UnauthorizedAccessException)
        {
            return new Pictures([], null, 0, 0, $"the image can no longer be read ({e.Message})");
        }
        double scale = Math.Min(1.0, (double)MaxSide / Math.Max(photo.Width, photo.Height));
        int width = Math.Max(1, (int)Math.Round(photo.Width * scale)), height = Math.Max(1, (int)Math.Round(photo.Height * scale));
        byte[] small = ToBytes(AreaDownscale.Resize(photo, width, height));
        byte[]? heat = null;
        string? problem = null;
        if (record.Artifacts.Mask is { } maskPath && File.Exists(maskPath))
        {
            try
            {
                var mask = SkiaCodec.DecodeRgb(File.ReadAllBytes(maskPath), maskPath);
                heat = SkiaCodec.EncodeRgbJpeg(HeatOver(small, ToBytes(AreaDownscale.Resize(mask, width, height))), width, height, 80);
            }
            catch (InvalidDataException e)
            {
                problem = $"the saved map cannot be read ({e.Message})";
            }
        }
        else if (record.Scores is not null)
            problem = "no probability map was saved with this record (a scan that saves masks, or writes the HTML report itself, keeps one)";
        return new Pictures(SkiaCodec.EncodeRgbJpeg(small, width, height, 80), heat, width, height, problem);
    }

    private static byte[] ToBytes(float[] values) => values.Select(v => (byte)Math.Clamp((int)Math.Round(v), 0, 255)).ToArray();

    /// <summary>Probability (the mask's grey level) as a blue → cyan → green → yellow → red ramp, more opaque where higher.</summary>
    private static byte[] HeatOver(byte[] photo, byte[] mask)
    {
        var result = new byte[photo.Length];
        for (int i = 0; i < photo.Length; i += 3)
        {
            double p = mask[i] / 255.0, alpha = 0.15 + 0.65 * p;
            var (r, g, b) = Ramp(p);
            double gray = (photo[i] * 0.299 + photo[i + 1] * 0.587 + photo[i + 2] * 0.114) * 0.8;
            result[i] = (byte)Math.Round(gray * (1 - alpha) + r * alpha);
            result[i + 1] = (byte)Math.Round(gray * (1 - alpha) + g * alpha);
            result[i + 2] = (byte)Math.Round(gray * (1 - alpha) + b * alpha);
        }
        return result;
    }

    private static (double R, double G, double B) Ramp(double p)
    {
        (double At, double R, double G, double B)[] stops = [(0, 0, 0, 255), (0.25, 0, 255, 255), (0.5, 0, 255, 0), (0.75, 255, 255, 0), (1, 255, 0, 0)];
        for (int i = 1; i < stops.Length; i++)
        {
            if (p > stops[i].At) continue;
            var (a, b) = (stops[i - 1], stops[i]);
            double t = (p - a.At) / (b.At - a.At);
            return (a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);
        }
        return (255, 0, 0);
    }
}
