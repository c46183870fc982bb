using System.Text;
using BitMiracle.LibTiff.Classic;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// TIFF through BitMiracle LibTiff.NET (a managed port of libtiff: a hostile file can throw, not corrupt memory). libtiff
/// undoes compression (none, LZW, Deflate, PackBits, JPEG, CCITT) and predictors; the raw samples are then turned into
/// RGB by PIL's rules, so the result is PIL's bit for bit: first page (IFD0) only; 16-bit keeps the high byte; 1/2/4-bit
/// gray is stretched; MinIsWhite inverted; palettes take the colormap's high byte; CMYK uses PIL's uncorrected formula
/// (ICC profiles ignored); extra samples (alpha) dropped without blending; Orientation reported, not applied.
/// Other photometric interpretations (YCbCr without JPEG, CIELab, LogLuv) go through libtiff's RGBA reader.
/// </summary>
internal static class TiffImageDecoder
{
    private const int MaxSamplesPerPixel = 16;

    static TiffImageDecoder() => Tiff.SetErrorHandler(new LibTiffErrorLog());

    public static (string Format, int Width, int Height) Probe(byte[] bytes, string path)
    {
        using var tif = Open(bytes, path);
        var layout = Layout.Read(tif, path);
        return (ImageFormat.Tiff.Id, layout.Width, layout.Height);
    }

    public static DecodedImage Decode(byte[] bytes, string path, ImageDecoderOptions options)
    {
        using var tif = Open(bytes, path);
        var layout = Layout.Read(tif, path);
        ImageDecoder.CheckSize(layout.Width, layout.Height, "TIFF", path, options);
        if (layout.SamplesPerPixel > MaxSamplesPerPixel)
            throw Failed(path, $"TIFF declares {layout.SamplesPerPixel} samples per pixel (at most {MaxSamplesPerPixel} are read)");

        byte[] rgb = layout.CanUnpack ? Unpack(tif, layout, path) : ReadRgba(tif, layout, path);
        int pages = CountPages(tif);
        return new DecodedImage
        {
            Image = new RgbImage(layout.Width, layout.Height, rgb),
            Format = ImageFormat.Tiff.Id,
            BitDepth = layout.BitsPerSample,
            HadAlpha = layout.ExtraSamples > 0,
            IsGrayscale = layout.Photometric is Photometric.MINISBLACK or Photometric.MINISWHITE,
            FrameCount = pages,
            ExifOrientation = layout.Orientation,
        };
    }

    private static Tiff Open(byte[] bytes, string path)
    {
        LibTiffErrorLog.Reset();
        Tiff? tif;
        try
        {
            tif = Tiff.ClientOpen(path, "r", new MemoryStream(bytes, writable: false), new TiffStream());
        }
        catch (Exception e) when (e is not ImageDecodeException)
        {
            throw Failed(path, $"TIFF structure is corrupt ({e.Message})");
        }
        if (tif is not null) return tif;
        long ifd0 = bytes.Length >= 8 ? (bytes[0] == 'I' ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)) : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(4))) : -1;
        throw Failed(path, ifd0 + 2 > bytes.Length
            ? $"TIFF structure is corrupt: its first image directory (IFD0) is at byte {ifd0}, past the end of the {bytes.Length}-byte file (truncated or damaged)"
            : $"TIFF structure is corrupt: {LibTiffErrorLog.Messages("cannot read the first image directory (IFD0)")}");
    }

    /// <summary>The layouts PIL unpacks itself (and so do we, exactly); anything else goes through libtiff's RGBA path.</summary>
    private sealed record Layout(int Width, int Height, int BitsPerSample, int SamplesPerPixel, int ExtraSamples,
        Photometric Photometric, PlanarConfig Planar, SampleFormat Format, int Orientation, short[]? ColorMap)
    {
        public bool CanUnpack => Format == SampleFormat.UINT && Photometric switch
        {
            Photometric.MINISBLACK or Photometric.MINISWHITE => BitsPerSample is 1 or 2 or 4 or 8 or 16,
            Photometric.PALETTE => BitsPerSample is 1 or 2 or 4 or 8 && ColorMap is not null,
            Photometric.RGB => BitsPerSample is 8 or 16 && SamplesPerPixel >= 3,
            Photometric.SEPARATED => BitsPerSample is 8 or 16 && SamplesPerPixel >= 4,
            _ => false,
        };

        public static Layout Read(Tiff tif, string path)
        {
            int width = Int(tif, TiffTag.IMAGEWIDTH), height = Int(tif, TiffTag.IMAGELENGTH);
            if (width <= 0 || height <= 0)
                throw Failed(path, $"TIFF header declares an empty image ({width}x{height})");
            var compression = (Compression)Int(tif, TiffTag.COMPRESSION, (int)Compression.NONE);
            var photometric = (Photometric)Int(tif, TiffTag.PHOTOMETRIC, (int)Photometric.MINISBLACK);
            if (compression is Compression.JPEG or Compression.OJPEG && photometric == Photometric.YCBCR)
            {
                // As PIL asks libtiff: let the JPEG codec convert YCbCr to RGB.
                tif.SetField(TiffTag.JPEGCOLORMODE, JpegColorMode.RGB);
                photometric = Photometric.RGB;
            }
            short[]? colorMap = null;
            if (photometric == Photometric.PALETTE && tif.GetField(TiffTag.COLORMAP) is { Length: >= 3 } map)
                colorMap = [.. map[0].ToShortArray(), .. map[1].ToShortArray(), .. map[2].ToShortArray()];
            int samples = Int(tif, TiffTag.SAMPLESPERPIXEL, 1);
            int extra = tif.GetField(TiffTag.EXTRASAMPLES) is { Length: >= 1 } e ? e[0].ToInt() : 0;
            return new Layout(width, height, Int(tif, TiffTag.BITSPERSAMPLE, 1), samples, extra, photometric,
                (PlanarConfig)Int(tif, TiffTag.PLANARCONFIG, (int)PlanarConfig.CONTIG),
                (SampleFormat)Int(tif, TiffTag.SAMPLEFORMAT, (int)SampleFormat.UINT),
                Int(tif, TiffTag.ORIENTATION, 1) is var o and >= 1 and <= 8 ? o : 1, colorMap);
        }

        private static int Int(Tiff tif, TiffTag tag, int fallback = 0) =>
            tif.GetField(tag) is { Length: >= 1 } value ? value[0].ToInt() : fallback;
    }

    private static byte[] Unpack(Tiff tif, Layout layout, string path)
    {
        int width = layout.Width, height = layout.Height, bits = layout.BitsPerSample;
        int spp = layout.SamplesPerPixel;
        bool planar = layout.Planar == PlanarConfig.SEPARATE && spp > 1;
        int colorSamples = layout.Photometric switch { Photometric.RGB => 3, Photometric.SEPARATED => 4, _ => 1 };
        var plane = new TiffSampleReader(tif, width, bits, spp, planar, path);
        var rgb = new byte[checked(width * height * 3)];
        var pixel = new byte[4];
        var cmykRow = layout.Photometric == Photometric.SEPARATED ? new byte[checked(width * 4)] : null;
        for (int y = 0; y < height; y++)
        {
            plane.LoadRow(y);
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < colorSamples; c++) pixel[c] = PilColor.To8Bit(plane.Sample(x, c), bits);
                int o = (y * width + x) * 3;
                switch (layout.Photometric)
                {
                    case Photometric.RGB:
                        rgb[o] = pixel[0]; rgb[o + 1] = pixel[1]; rgb[o + 2] = pixel[2];
                        break;
                    case Photometric.SEPARATED:
                        pixel.AsSpan(0, 4).CopyTo(cmykRow.AsSpan(x * 4));
                        break;
                    case Photometric.PALETTE:
                        int index = plane.Sample(x, 0), entries = layout.ColorMap!.Length / 3;
                        if (index >= entries) throw Failed(path, $"TIFF palette index {index} is outside its {entries}-entry colormap");
                        for (int c = 0; c < 3; c++) rgb[o + c] = (byte)((ushort)layout.ColorMap[c * entries + index] >> 8);
                        break;
                    default:
                        byte v = layout.Photometric == Photometric.MINISWHITE ? (byte)(255 - pixel[0]) : pixel[0];
                        rgb[o] = rgb[o + 1] = rgb[o + 2] = v;
                        break;
                }
            }
            if (cmykRow is not null) PilColor.CmykToRgb(cmykRow, rgb.AsSpan(y * width * 3, width * 3));
        }
        return rgb;
    }

    private static byte[] ReadRgba(Tiff tif, Layout layout, string path)
    {
        var raster = new int[checked(layout.Width * layout.Height)];
        if (!tif.ReadRGBAImageOriented(layout.Width, layout.Height, raster, Orientation.TOPLEFT, false))
            throw Failed(path, $"TIFF with photometric interpretation {layout.Photometric} cannot be decoded ({LibTiffErrorLog.Messages("unsupported")})");
        var rgb = new byte[checked(raster.Length * 3)];
        for (int i = 0; i < raster.Length; i++)
        {
            rgb[3 * i] = (byte)Tiff.GetR(raster[i]);
            rgb[3 * i + 1] = (byte)Tiff.GetG(raster[i]);
            rgb[3 * i + 2] = (byte)Tiff.GetB(raster[i]);
        }
        return rgb;
    }

    private static int CountPages(Tiff tif)
    {
        try { return Math.Max(1, (int)tif.NumberOfDirectories()); } catch { return 1; }
    }

    private static ImageDecodeException Failed(string path, string message) =>
        new(ImageDecodeErrorCodes.ImageDecodeFailed, path, message);
}
