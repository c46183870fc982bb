using ImageMagick;
using ImageMagick.Configuration;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// HEIC/HEIF and AVIF (libheif with libde265 and dav1d), JPEG 2000 (OpenJPEG), JPEG XL (libjxl) and camera RAW (LibRaw)
/// through Magick.NET-Q8. ImageMagick never guesses: every read names its coder from our own signature check, and the
/// process-wide policy installed before first use allows reading only those coders (no SVG, MVG, MSL, PostScript, PDF,
/// TEXT or URL; no delegates, no '@file' indirection) with bounded memory and no disk cache. The header is pinged and its
/// pixel count checked before any pixels are allocated.
/// Rules: HEIF/AVIF transformations (irot, imir, clap) are applied, as libheif and the reference decoders do (they are
/// the image's geometry, not advisory metadata like EXIF orientation, which is reported, never applied); more than
/// 8 bits per sample are rounded to 8 (Q8, as avifdec -d 8 and heif-convert do; TIFF and PNG keep the high byte);
/// alpha is dropped without blending; RAW is developed with the camera's white balance into sRGB with no
/// auto-brightening.
/// </summary>
internal static partial class MagickImageDecoder
{
    private static readonly Lazy<string> Initialized = new(Initialize, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The policy ImageMagick runs under: read-only coders we name, nothing that executes or fetches.</summary>
    internal static string Policy => $$"""
        <policymap>
          <policy domain="delegate" rights="none" pattern="*" />
          <policy domain="filter" rights="none" pattern="*" />
          <policy domain="path" rights="none" pattern="@*" />
          <policy domain="path" rights="none" pattern="|*" />
          <policy domain="coder" rights="none" pattern="*" />
          <policy domain="coder" rights="read" pattern="{{{string.Join(",", AllowedCoders)}}}" />
          <policy domain="module" rights="none" pattern="{MSL,MVG,SVG,MSVG,RSVG,PS,PS2,PS3,EPS,EPI,EPT,PDF,XPS,TXT,TEXT,URL,HTTP,HTTPS,FTP,FILE,EPHEMERAL,INLINE,LABEL,CAPTION,PANGO,X,SHOW,WIN,VID,MAP}" />
          <policy domain="resource" name="memory" value="2GiB" />
          <policy domain="resource" name="map" value="2GiB" />
          <policy domain="resource" name="disk" value="0" />
          <policy domain="resource" name="list-length" value="32" />
          <policy domain="system" name="max-memory-request" value="2GiB" />
        </policymap>
        """;

    private static IEnumerable<string> AllowedCoders =>
        ImageFormat.Readable.Where(f => f.Codec == ImageCodec.Magick).Select(f => CoderOf(f).ToString().ToUpperInvariant()).Append("HEIF").Distinct();

    public static (string Format, int Width, int Height) Probe(byte[] bytes, ImageFormat format, string path)
    {
        var info = Ping(bytes, format, path);
        return (format.Id, (int)info.Width, (int)info.Height);
    }

    public static DecodedImage Decode(byte[] bytes, ImageFormat format, string path, ImageDecoderOptions options)
    {
        var info = Ping(bytes, format, path);
        ImageDecoder.CheckSize(info.Width, info.Height, format.Name, path, options);
        try
        {
            using var image = new MagickImage(bytes, Settings(format));
            int width = (int)image.Width, height = (int)image.Height;
            ImageDecoder.CheckSize(width, height, format.Name, path, options);
            using var pixels = image.GetPixelsUnsafe();
            byte[] rgb;
            if (image.ColorSpace == ColorSpace.CMYK)
            {
                rgb = new byte[checked(width * height * 3)];
                PilColor.CmykToRgb(pixels.ToByteArray("CMYK") ?? [], rgb);
            }
            else
            {
                rgb = pixels.ToByteArray(PixelMapping.RGB) ?? throw Failed(path, format, "the decoder returned no pixels");
            }
            return new DecodedImage
            {
                Image = new RgbImage(width, height, rgb),
                Format = format.Id,
                BitDepth = (int)image.Depth,
                HadAlpha = image.HasAlpha,
                IsGrayscale = image.ColorSpace is ColorSpace.Gray or ColorSpace.LinearGray,
                FrameCount = 1,
                ExifOrientation = (int)image.Orientation is var o and >= 1 and <= 8 ? o : 1,
            };
        }
        catch (MagickException e)
        {
            throw Map(e, format, path);
        }
    }

    private static IMagickImageInfo Ping(byte[] bytes, ImageFormat format, string path)
    {
        _ = Initialized.Value;
        try
        {
            var info = new MagickImageInfo(bytes, Settings(format));
            if (info.Width == 0 || info.Height == 0)
                throw Failed(path, format, $"header declares an empty image ({info.Width}x{info.Height})");
            return info;
        }
        catch (MagickException e)
        {
            throw Map(e, format, path);
        }
    }

    private static MagickReadSettings Settings(ImageFormat format)
    {
        var settings = new MagickReadSettings { Format = CoderOf(format), FrameIndex = 0, FrameCount = 1 };
        if (format.Reference.StartsWith("LibRaw", StringComparison.Ordinal))
        {
            settings.SetDefine(MagickFormat.Dng, "use-camera-wb", "true");
            settings.SetDefine(MagickFormat.Dng, "no-auto-bright", "true");
            settings.SetDefine(MagickFormat.Dng, "output-color", "1");
        }
        return settings;
    }

    private static MagickFormat CoderOf(ImageFormat format) => format.Id switch
    {
        "jp2" => MagickFormat.Jp2,
        "j2k" => MagickFormat.J2k,
        _ => Enum.Parse<MagickFormat>(format.Id, ignoreCase: true),
    };

    private static string Initialize()
    {
        var files = ConfigurationFiles.Default;
        files.Policy.Data = Policy;
        string directory = MagickNET.Initialize(files);
        // libheif, OpenJPEG and LibRaw decode on the calling thread; the scanner's decode workers give the parallelism.
        ResourceLimits.Thread = 1;
        return directory;
    }

    private static ImageDecodeException Map(MagickException e, ImageFormat format, string path)
    {
        string detail = Detail(e.Message, path);
        string lower = detail.ToLowerInvariant();
        if (e is MagickResourceLimitErrorException or MagickResourceLimitWarningException)
            return new ImageDecodeException(ImageDecodeErrorCodes.ImageTooLarge, path, $"{format.Name} image needs more than the decoder's memory limit ({detail})", e);
        if (lower.Contains("truncat") || lower.Contains("premature") || lower.Contains("end of file") || lower.Contains("end of data")
            || lower.Contains("not enough data") || lower.Contains("unexpected end"))
            return new ImageDecodeException(ImageDecodeErrorCodes.ImageTruncated, path, $"{format.Name} file is truncated ({detail})", e);
        return Failed(path, format, $"data is corrupt or uses an unsupported variant ({detail})", e);
    }

    /// <summary>ImageMagick's message without its source location, temporary file names and error numbers.</summary>
    private static string Detail(string message, string path)
    {
        int at = message.IndexOf(" @ ", StringComparison.Ordinal);
        if (at > 0) message = message[..at];
        message = TemporaryFile().Replace(message, "");
        message = message.Replace(path, Path.GetFileName(path), StringComparison.Ordinal);
        return Whitespace().Replace(message, " ").Trim().TrimEnd('`', '\'', ' ');
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\(\d+\.\d+\)|`?/[^\s`']*magick-[^\s`']*'?")]
    private static partial System.Text.RegularExpressions.Regex TemporaryFile();

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+")]
    private static partial System.Text.RegularExpressions.Regex Whitespace();

    private static ImageDecodeException Failed(string path, ImageFormat format, string message, Exception? inner = null) =>
        new(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"{format.Name} {message}", inner);
}
