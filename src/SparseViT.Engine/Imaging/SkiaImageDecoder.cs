using System.Buffers.Binary;
using System.Runtime.InteropServices;
using SkiaSharp;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// JPEG, PNG, WebP, GIF, BMP, ICO and WBMP through SkiaSharp's codecs (libjpeg-turbo, libpng, libwebp, Skia's GIF and BMP
/// decoders), which decode these exactly as PIL does: no color management (ICC profiles and PNG gAMA are ignored), no
/// EXIF rotation, grayscale expanded to R = G = B, palettes expanded, alpha dropped without blending (decoded
/// unpremultiplied so color under alpha 0 survives), first frame only for animations.
/// Departure from PIL (deliberate): 16-bit samples keep their most significant byte, for grayscale too
/// (PIL clips 16-bit grayscale "I;16" to 255 when converting to RGB).
/// Known differences from PIL: CMYK JPEGs are always treated as Adobe-inverted (PIL only inverts when an Adobe APP14
/// marker is present; nearly all CMYK JPEGs have one, and then both give round(c'·k'/255)); a GIF whose first frame
/// does not cover the whole logical screen gets black outside it (PIL: the background / transparent palette color).
/// GIF pixels with the transparent index get their palette color, as in PIL.
/// </summary>
internal static class SkiaImageDecoder
{
    public static DecodedImage Decode(byte[] bytes, ImageFormat? detected, string path, ImageDecoderOptions options)
    {
        string? sniffed = detected?.Id;
        bool isPng = detected == ImageFormat.Png;
        var png = isPng ? PngHeader.TryRead(bytes) : null;
        if (isPng && png is null)
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageTruncated, path, "PNG file is truncated before its IHDR header ends");
        if (png is { } h)
            ImageDecoder.CheckSize(h.Width, h.Height, "png", path, options);

        // PIL's convert("RGB") of a GIF frame gives the palette color of the transparent index too; Skia would give 0.
        byte[] codecBytes = detected == ImageFormat.Gif ? GifWithoutTransparency(bytes) : bytes;
        using var stream = new SKMemoryStream(codecBytes);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec is null)
        {
            if (createResult == SKCodecResult.IncompleteInput || (sniffed is not null && bytes.Length < 64))
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageTruncated, path,
                    $"{sniffed ?? "image"} file is truncated: its header is incomplete ({bytes.Length} bytes)");
            if (sniffed is not null)
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path,
                    $"looks like {sniffed.ToUpperInvariant()} but its header cannot be decoded ({createResult})");
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageUnrecognized, path,
                $"not a recognized image format (first bytes {Convert.ToHexString(bytes, 0, Math.Min(8, bytes.Length))})");
        }

        string format = FormatName(codec.EncodedFormat);
        var info = codec.Info;
        int width = info.Width, height = info.Height;
        if (width <= 0 || height <= 0)
            throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"{format} header declares an empty image ({width}x{height})");
        ImageDecoder.CheckSize(width, height, format, path, options);

        bool sixteen = png is { BitDepth: 16 };
        bool gray = png is { } p ? p.ColorType is 0 or 4 : info.ColorType == SKColorType.Gray8;
        bool hadAlpha = png is { } q ? q.ColorType is 4 or 6 || q.HasTrns : info.AlphaType != SKAlphaType.Opaque;

        byte[] rgb = sixteen ? Array.Empty<byte>() : new byte[checked(width * height * 3)];
        SKCodecResult result;
        if (sixteen)
        {
            // Skia converts 16-bit PNG samples to 8 bits with rounding; we keep the high byte, so decode these ourselves.
            rgb = Png16Decoder.Decode(bytes, width, height, png!.Value.ColorType, png.Value.Interlace, path);
            result = SKCodecResult.Success;
        }
        else
        {
            var dstInfo = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul, null);
            var buffer = new byte[checked(width * height * 4)];
            var handle = GCHandle.Alloc(buffer, GCHandleType.Pinned);
            try { result = codec.GetPixels(dstInfo, handle.AddrOfPinnedObject(), width * 4, new SKCodecOptions(0)); }
            finally { handle.Free(); }
            if (result is SKCodecResult.Success or SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput)
                RgbaToRgb(buffer, rgb);
        }

        switch (result)
        {
            case SKCodecResult.Success:
                break;
            case SKCodecResult.IncompleteInput:
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageTruncated, path,
                    $"{format} image is truncated: the data ends before all {width}x{height} pixels are decoded ({bytes.Length} bytes)");
            case SKCodecResult.ErrorInInput:
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"{format} data is corrupt ({result})");
            default:
                throw new ImageDecodeException(ImageDecodeErrorCodes.ImageDecodeFailed, path, $"cannot decode this {format} image ({result})");
        }

        return new DecodedImage
        {
            Image = new RgbImage(width, height, rgb),
            Format = format,
            BitDepth = png?.BitDepth ?? 8,
            HadAlpha = hadAlpha,
            IsGrayscale = gray,
            FrameCount = Math.Max(1, SafeFrameCount(codec)),
            ExifOrientation = (int)codec.EncodedOrigin is >= 1 and <= 8 ? (int)codec.EncodedOrigin : 1,
        };
    }

    public static (string Format, int Width, int Height) Probe(byte[] bytes, ImageFormat? detected, string path)
    {
        if (detected == ImageFormat.Png && PngHeader.TryRead(bytes) is { } h)
            return ("png", h.Width, h.Height);
        using var stream = new SKMemoryStream(bytes);
        using var codec = SKCodec.Create(stream, out var createResult);
        if (codec is null)
            throw new ImageDecodeException(createResult == SKCodecResult.IncompleteInput ? ImageDecodeErrorCodes.ImageTruncated : ImageDecodeErrorCodes.ImageUnrecognized,
                path, $"cannot read the image header ({createResult})");
        return (FormatName(codec.EncodedFormat), codec.Info.Width, codec.Info.Height);
    }

    private static int SafeFrameCount(SKCodec codec)
    {
        try { return codec.FrameCount; } catch { return 1; }
    }

    private static void RgbaToRgb(byte[] rgba, byte[] rgb)
    {
        int n = rgb.Length / 3;
        int threads = n >= 1 << 20 ? Environment.ProcessorCount : 1;
        if (threads <= 1) { RgbaToRgbRange(rgba, rgb, 0, n); return; }
        int chunk = (n + threads - 1) / threads;
        Parallel.For(0, threads, t => RgbaToRgbRange(rgba, rgb, t * chunk, Math.Min(n, (t + 1) * chunk)));
    }

    private static void RgbaToRgbRange(byte[] rgba, byte[] rgb, int start, int end)
    {
        for (int i = start; i < end; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[3 * i + 1] = rgba[4 * i + 1];
            rgb[3 * i + 2] = rgba[4 * i + 2];
        }
    }

    private static string FormatName(SKEncodedImageFormat f) => f switch
    {
        SKEncodedImageFormat.Jpeg => "jpeg",
        SKEncodedImageFormat.Png => "png",
        SKEncodedImageFormat.Webp => "webp",
        SKEncodedImageFormat.Gif => "gif",
        SKEncodedImageFormat.Bmp => "bmp",
        SKEncodedImageFormat.Ico => "ico",
        SKEncodedImageFormat.Wbmp => "wbmp",
        SKEncodedImageFormat.Heif => "heif",
        SKEncodedImageFormat.Avif => "avif",
        SKEncodedImageFormat.Dng => "dng",
        SKEncodedImageFormat.Jpegxl => "jpegxl",
        _ => f.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A copy of a GIF whose Graphic Control Extensions have the "transparent color" flag cleared, so that the decoder
    /// writes the palette color of the transparent index (as PIL's P → RGB conversion does) instead of transparent black.
    /// Walks the block structure; stops (leaving the rest untouched) at anything malformed, which the decoder then reports.
    /// </summary>
    internal static byte[] GifWithoutTransparency(byte[] gif)
    {
        byte[]? copy = null;
        int pos = 13;
        if (gif.Length < pos) return gif;
        if ((gif[10] & 0x80) != 0) pos += 3 << ((gif[10] & 7) + 1);
        while (pos < gif.Length)
        {
            byte marker = gif[pos];
            if (marker == 0x21 && pos + 1 < gif.Length)
            {
                if (gif[pos + 1] == 0xF9 && pos + 3 < gif.Length && gif[pos + 2] == 4 && (gif[pos + 3] & 1) != 0)
                {
                    copy ??= (byte[])gif.Clone();
                    copy[pos + 3] &= 0xFE;
                }
                pos = SkipSubBlocks(gif, pos + 2);
            }
            else if (marker == 0x2C && pos + 10 <= gif.Length)
            {
                int packed = gif[pos + 9];
                pos += 10;
                if ((packed & 0x80) != 0) pos += 3 << ((packed & 7) + 1);
                pos = SkipSubBlocks(gif, pos + 1); // LZW minimum code size, then data sub-blocks
            }
            else break; // trailer or malformed
            if (pos < 0) break;
        }
        return copy ?? gif;
    }

    private static int SkipSubBlocks(byte[] b, int pos)
    {
        while (pos < b.Length)
        {
            int len = b[pos];
            pos += 1 + len;
            if (len == 0) return pos;
        }
        return -1;
    }

    internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType, int Interlace, bool HasTrns)
    {
        /// <summary>IHDR (and whether a tRNS chunk precedes IDAT); null when the data ends inside IHDR.</summary>
        public static PngHeader? TryRead(ReadOnlySpan<byte> b)
        {
            if (b.Length < 8 + 8 + 13) return null;
            if (!(b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R')) return null;
            uint w = BinaryPrimitives.ReadUInt32BigEndian(b[16..]);
            uint h = BinaryPrimitives.ReadUInt32BigEndian(b[20..]);
            int depth = b[24], colorType = b[25], interlace = b[28];
            bool trns = false;
            int pos = 8;
            while (pos + 8 <= b.Length)
            {
                uint len = BinaryPrimitives.ReadUInt32BigEndian(b[pos..]);
                var type = b.Slice(pos + 4, 4);
                if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8)) break;
                if (type.SequenceEqual("tRNS"u8)) { trns = true; break; }
                if (len > int.MaxValue - 12 - pos) break;
                pos += 12 + (int)len;
            }
            return new PngHeader((int)Math.Min(w, int.MaxValue), (int)Math.Min(h, int.MaxValue), depth, colorType, interlace, trns);
        }
    }
}
