namespace SparseViT.Engine.Imaging;

/// <summary>
/// Decodes image files to 8-bit RGB the way the authors' pipeline (PIL's <c>Image.open(f).convert("RGB")</c>) does:
/// EXIF orientation is reported, never applied; alpha is dropped without blending; grayscale becomes R = G = B;
/// 16-bit samples keep their most significant byte; the first frame or page only. The format comes from the bytes
/// (<see cref="ImageFormat.Detect"/>), never from the name, and picks the codec: SkiaSharp for what it decodes exactly as
/// PIL, LibTiff.NET for TIFF (PIL's own sample rules), Magick.NET for HEIC/AVIF/JPEG 2000/JPEG XL/camera RAW. Every
/// path checks the header's pixel count against <see cref="ImageDecoderOptions.MaxPixels"/> before allocating.
/// </summary>
public static class ImageDecoder
{
    public static DecodedImage Decode(string path, ImageDecoderOptions? options = null)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"cannot read the file: {e.Message}", e);
        }
        return Decode(bytes, path, options);
    }

    public static DecodedImage Decode(ReadOnlySpan<byte> bytes, string path = "<memory>", ImageDecoderOptions? options = null)
        => Decode(bytes.ToArray(), path, options);

    /// <param name="path">Names the file in errors; its extension only tells TIFF-based camera RAW from TIFF.</param>
    public static DecodedImage Decode(byte[] bytes, string path = "<memory>", ImageDecoderOptions? options = null)
    {
        options ??= ImageDecoderOptions.Default;
        var format = Identify(bytes, path);
        return format?.Codec switch
        {
            ImageCodec.LibTiff => TiffImageDecoder.Decode(bytes, path, options),
            ImageCodec.Magick => MagickImageDecoder.Decode(bytes, format, path, options),
            _ => SkiaImageDecoder.Decode(bytes, format, path, options),
        };
    }

    /// <summary>Reads only the header: format and size, with the same errors as <see cref="Decode(byte[],string,ImageDecoderOptions?)"/> for unreadable headers.</summary>
    public static (string Format, int Width, int Height) Probe(byte[] bytes, string path = "<memory>")
    {
        var format = Identify(bytes, path);
        return format?.Codec switch
        {
            ImageCodec.LibTiff => TiffImageDecoder.Probe(bytes, path),
            ImageCodec.Magick => MagickImageDecoder.Probe(bytes, format, path),
            _ => SkiaImageDecoder.Probe(bytes, format, path),
        };
    }

    /// <summary>The format of the bytes; refuses empty files and formats whose readers run programs or fetch files.</summary>
    private static ImageFormat? Identify(byte[] bytes, string path)
    {
        if (bytes.Length == 0)
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageEmpty, path, "the file is empty (0 bytes)");
        var format = ImageFormat.Detect(bytes, Path.GetExtension(path));
        if (format is null && ImageFormat.DetectRefused(bytes) is { } refused)
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageUnrecognized, path,
                $"is {refused}, not a raster image; it is never decoded, because its readers follow scripts and external references");
        return format;
    }

    internal static void CheckSize(long width, long height, string format, string path, ImageDecoderOptions options)
    {
        long pixels = width * height;
        if (pixels > options.MaxPixels)
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageTooLarge, path,
                $"{format} image is {width}x{height} = {pixels} pixels, more than the limit of {options.MaxPixels}");
    }
}
