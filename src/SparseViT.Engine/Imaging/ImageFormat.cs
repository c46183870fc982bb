using System.Buffers.Binary;

namespace SparseViT.Engine.Imaging;

/// <summary>
/// A format the scanner reads (or deliberately refuses), recognised from the file's own bytes. One registry serves the
/// decoder (which codec), folder enumeration (which extensions), the extension-mismatch check and the help texts.
/// </summary>
/// <param name="Id">Lower-case identifier, also <see cref="DecodedImage.Format"/>: "jpeg", "tiff", "heic", "dng", …</param>
/// <param name="Name">What people call it: "JPEG", "JPEG 2000", "Nikon RAW (NEF)".</param>
/// <param name="Extensions">Lower-case extensions without the dot; the first is the usual one.</param>
/// <param name="Reference">How our decode relates to the authors' PIL pipeline (or the format's reference decoder).</param>
public sealed record ImageFormat(string Id, string Name, string MimeType, IReadOnlyList<string> Extensions, ImageCodec Codec, string Reference)
{
    private const string AsPil = "exactly as PIL 9.4";
    private const string AsLibheif = "libheif (as heif-convert / avifdec, within their chroma-upsampling tolerance)";
    private const string AsLibRaw = "LibRaw development: camera white balance, sRGB, no auto-brightening";

    public static ImageFormat Jpeg { get; } = new("jpeg", "JPEG", "image/jpeg", ["jpg", "jpeg", "jpe", "jfif"], ImageCodec.Skia, AsPil);
    public static ImageFormat Png { get; } = new("png", "PNG", "image/png", ["png"], ImageCodec.Skia, AsPil + " (16-bit: high byte)");
    public static ImageFormat WebP { get; } = new("webp", "WebP", "image/webp", ["webp"], ImageCodec.Skia, AsPil);
    public static ImageFormat Gif { get; } = new("gif", "GIF", "image/gif", ["gif"], ImageCodec.Skia, AsPil + " (first frame)");
    public static ImageFormat Bmp { get; } = new("bmp", "BMP", "image/bmp", ["bmp", "dib"], ImageCodec.Skia, AsPil);
    public static ImageFormat Ico { get; } = new("ico", "ICO", "image/x-icon", ["ico"], ImageCodec.Skia, AsPil);
    public static ImageFormat Wbmp { get; } = new("wbmp", "WBMP", "image/vnd.wap.wbmp", ["wbmp"], ImageCodec.Skia, AsPil);
    public static ImageFormat Tiff { get; } = new("tiff", "TIFF", "image/tiff", ["tif", "tiff"], ImageCodec.LibTiff, AsPil + " (first page; 16-bit: high byte; CMYK uncorrected)");
    public static ImageFormat Heic { get; } = new("heic", "HEIC/HEIF", "image/heic", ["heic", "heif", "hif"], ImageCodec.Magick, AsLibheif);
    public static ImageFormat Avif { get; } = new("avif", "AVIF", "image/avif", ["avif"], ImageCodec.Magick, AsLibheif);
    public static ImageFormat Jp2 { get; } = new("jp2", "JPEG 2000", "image/jp2", ["jp2", "jpf", "jpx"], ImageCodec.Magick, AsPil + " (OpenJPEG)");
    public static ImageFormat J2k { get; } = new("j2k", "JPEG 2000 codestream", "image/x-jp2-codestream", ["j2k", "j2c", "jpc"], ImageCodec.Magick, AsPil + " (OpenJPEG)");
    public static ImageFormat Jxl { get; } = new("jxl", "JPEG XL", "image/jxl", ["jxl"], ImageCodec.Magick, "libjxl (as djxl)");
    public static ImageFormat Dng { get; } = new("dng", "DNG", "image/x-adobe-dng", ["dng"], ImageCodec.Magick, AsLibRaw);

    /// <summary>Camera RAW formats LibRaw develops; those built on TIFF are told apart from TIFF by their extension.</summary>
    public static IReadOnlyList<ImageFormat> CameraRaw { get; } =
    [
        Raw("cr2", "Canon RAW (CR2)"), Raw("cr3", "Canon RAW (CR3)"), Raw("nef", "Nikon RAW (NEF)"), Raw("nrw", "Nikon RAW (NRW)"),
        Raw("arw", "Sony RAW (ARW)"), Raw("orf", "Olympus RAW (ORF)"), Raw("rw2", "Panasonic RAW (RW2)"), Raw("raf", "Fujifilm RAW (RAF)"),
        Raw("pef", "Pentax RAW (PEF)"), Raw("srw", "Samsung RAW (SRW)"),
    ];

    /// <summary>Every format the scanner decodes, in the order the help lists them.</summary>
    public static IReadOnlyList<ImageFormat> Readable { get; } =
        [Jpeg, Png, WebP, Gif, Bmp, Ico, Wbmp, Tiff, Heic, Avif, Jp2, J2k, Jxl, Dng, .. CameraRaw];

    /// <summary>Every readable extension, with its dot, for folder enumeration.</summary>
    public static IReadOnlySet<string> ReadableExtensions { get; } =
        new HashSet<string>(Readable.SelectMany(f => f.Extensions).Select(e => "." + e), StringComparer.OrdinalIgnoreCase);

    private static readonly HashSet<string> TiffBasedRaw = new(StringComparer.OrdinalIgnoreCase) { "nef", "nrw", "arw", "pef", "srw" };

    private static ImageFormat Raw(string id, string name) => new(id, name, "image/x-" + id, [id], ImageCodec.Magick, AsLibRaw);

    /// <summary>
    /// The formats named by ids ("heic"), extensions ("jpg", ".tif") or the groups "all" and "raw" (DNG and camera RAW);
    /// throws <see cref="ArgumentException"/> naming what is not a readable format.
    /// </summary>
    public static IReadOnlyList<ImageFormat> Select(IEnumerable<string> names)
    {
        var selected = new List<ImageFormat>();
        foreach (string raw in names)
        {
            string name = raw.Trim().TrimStart('.').ToLowerInvariant();
            IEnumerable<ImageFormat> matches = name switch
            {
                "all" => Readable,
                "raw" => [Dng, .. CameraRaw],
                _ => Readable.Where(f => f.Id == name || f.Extensions.Contains(name)),
            };
            int before = selected.Count;
            selected.AddRange(matches.Where(f => !selected.Contains(f)));
            if (selected.Count == before && !matches.Any())
                throw new ArgumentException($"'{raw}' is not a format the scanner reads; use all, raw or one of {string.Join(", ", Readable.Select(f => f.Id))}");
        }
        return selected;
    }

    public static ImageFormat? FromId(string id) => Readable.FirstOrDefault(f => string.Equals(f.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The format the bytes are, from their signature; <paramref name="extension"/> (with or without the dot) only tells
    /// TIFF-based camera RAW (NEF, ARW, …, which are valid TIFFs) from TIFF. Null when the signature is not one we read.
    /// </summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> b, string? extension = null)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return Png;
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return Jpeg;
        if (b.StartsWith("GIF87a"u8) || b.StartsWith("GIF89a"u8)) return Gif;
        if (b.Length >= 12 && b.StartsWith("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return WebP;
        if (b.Length >= 14 && b[0] == 'B' && b[1] == 'M') return Bmp;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A])) return Jp2;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51])) return J2k;
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) ||
            b.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0x00, 0x0C, 0x4A, 0x58, 0x4C, 0x20, 0x0D, 0x0A, 0x87, 0x0A])) return Jxl;
        if (b.StartsWith("FUJIFILMCCD-RAW"u8)) return ById("raf");
        if (b.StartsWith("IIRO"u8) || b.StartsWith("IIRS"u8) || b.StartsWith("MMOR"u8)) return ById("orf");
        if (b.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x55, 0x00])) return ById("rw2");
        if (b.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2A, 0x00]) || b.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2A]))
        {
            if (b.Length >= 10 && b[8] == 'C' && b[9] == 'R') return ById("cr2");
            if (TiffHasDngVersion(b)) return Dng;
            string ext = (extension ?? "").TrimStart('.');
            return TiffBasedRaw.Contains(ext) ? ById(ext.ToLowerInvariant()) : Tiff;
        }
        if (b.StartsWith((ReadOnlySpan<byte>)[0x49, 0x49, 0x2B, 0x00]) || b.StartsWith((ReadOnlySpan<byte>)[0x4D, 0x4D, 0x00, 0x2B])) return Tiff; // BigTIFF
        return IsoBmffBrand(b) switch
        {
            "avif" or "avis" => Avif,
            "heic" or "heix" or "heim" or "heis" or "hevc" or "hevx" or "mif1" or "msf1" => Heic,
            "crx " => ById("cr3"),
            _ => null,
        };
    }

    private static ImageFormat ById(string id) => FromId(id)!;

    /// <summary>
    /// The ISO base media file format brand that decides the codec: the major brand when it names an image codec,
    /// else the first such compatible brand (AVIF files often declare major brand "mif1").
    /// </summary>
    private static string? IsoBmffBrand(ReadOnlySpan<byte> b)
    {
        if (b.Length < 16 || !b[4..8].SequenceEqual("ftyp"u8)) return null;
        long size = BinaryPrimitives.ReadUInt32BigEndian(b);
        int end = (int)Math.Min(Math.Min(size, 4096), b.Length);
        string major = Brand(b, 8);
        string[] specific = ["avif", "avis", "heic", "heix", "heim", "heis", "hevc", "hevx", "crx "];
        if (specific.Contains(major)) return major;
        for (int at = 16; at + 4 <= end; at += 4)
        {
            string brand = Brand(b, at);
            if (specific.Contains(brand)) return brand;
        }
        return major is "mif1" or "msf1" ? major : null;
    }

    private static string Brand(ReadOnlySpan<byte> b, int at) => System.Text.Encoding.ASCII.GetString(b.Slice(at, 4));

    /// <summary>DNG is a TIFF whose IFD0 carries DNGVersion (tag 50706); read with every offset bounds-checked.</summary>
    private static bool TiffHasDngVersion(ReadOnlySpan<byte> b)
    {
        bool little = b[0] == 'I';
        if (b.Length < 8) return false;
        uint ifd = little ? BinaryPrimitives.ReadUInt32LittleEndian(b[4..]) : BinaryPrimitives.ReadUInt32BigEndian(b[4..]);
        if (ifd < 8 || ifd > b.Length - 2) return false;
        int count = U16(b, (int)ifd, little);
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2L + 12L * i;
            if (entry + 12 > b.Length) return false;
            if (U16(b, (int)entry, little) == 50706) return true;
        }
        return false;
    }

    private static ushort U16(ReadOnlySpan<byte> b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b[at..]) : BinaryPrimitives.ReadUInt16BigEndian(b[at..]);

    /// <summary>
    /// Formats that are never decoded because their readers interpret programs or fetch other files (SVG, ImageMagick's
    /// MVG and MSL, PostScript, PDF). Returns what the bytes are (\"an SVG document\"), so the refusal can say it; null otherwise.
    /// </summary>
    public static string? DetectRefused(ReadOnlySpan<byte> b)
    {
        var head = b[..Math.Min(b.Length, 1024)];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) head = head[3..];
        head = head.TrimStart(" \t\r\n"u8);
        if (head.StartsWith("%!PS"u8) || head.StartsWith((ReadOnlySpan<byte>)[0xC5, 0xD0, 0xD3, 0xC6])) return "a PostScript document";
        if (head.StartsWith("%PDF-"u8)) return "a PDF document";
        string text = System.Text.Encoding.ASCII.GetString(head).ToLowerInvariant();
        if (text.Contains("<svg")) return "an SVG document";
        if (text.Contains("push graphic-context") || text.StartsWith("viewbox") || text.Contains("\nviewbox ")) return "an MVG (ImageMagick vector graphics) file";
        if (text.StartsWith("<?xml") || text.StartsWith("<image")) return text.Contains("<image") ? "an MSL (ImageMagick scripting) file" : "an XML document";
        return null;
    }
}
