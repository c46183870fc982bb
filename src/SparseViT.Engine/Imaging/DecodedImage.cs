namespace SparseViT.Engine.Imaging;

/// <summary>The result of <see cref="ImageDecoder"/>: 8-bit RGB pixels plus what the header said.</summary>
public sealed class DecodedImage
{
    public required RgbImage Image { get; init; }
    /// <summary>The <see cref="ImageFormat.Id"/> found from the bytes: "jpeg", "png", "webp", "tiff", "heic", "avif", "jp2", "jxl", "dng", "nef", …</summary>
    public required string Format { get; init; }
    public int Width => Image.Width;
    public int Height => Image.Height;
    /// <summary>Bits per sample of the source (8 for most; 16 for 16-bit PNG/TIFF; 10/12 for HEIF/AVIF; 1/2/4 for low-depth PNG/TIFF), when known.</summary>
    public int BitDepth { get; init; } = 8;
    /// <summary>True when the source carried an alpha channel (or a transparent palette entry); alpha was dropped, not blended.</summary>
    public bool HadAlpha { get; init; }
    /// <summary>True when the source was grayscale (R = G = B in <see cref="Image"/>).</summary>
    public bool IsGrayscale { get; init; }
    /// <summary>Number of frames (animated GIF/WebP) or pages (TIFF); only the first is decoded.</summary>
    public int FrameCount { get; init; } = 1;
    /// <summary>EXIF orientation found in the file (1 = normal). It is reported, never applied (PIL's Image.open does not apply it).</summary>
    public int ExifOrientation { get; init; } = 1;
}
