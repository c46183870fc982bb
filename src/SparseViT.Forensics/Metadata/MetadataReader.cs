using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Directory = MetadataExtractor.Directory;
using MetadataExtractor.Formats.Exif;
using MetadataExtractor.Formats.Heif;
using MetadataExtractor.Formats.Icc;
using MetadataExtractor.Formats.Xmp;
using MetadataExtractor.Util;
using MetadataExtractor;
using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Imaging;
using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Metadata;

/// <summary>
/// Reads <see cref="ImageMetadata"/> from bytes already in memory, so a scan reads each file once (the same
/// bytes feed hashing, decoding and this). Damaged metadata never throws: what could not be read becomes a warning.
/// </summary>
public static partial class MetadataReader
{
    private const int IccDescriptionTag = 0x64657363; // 'desc'

    /// <summary>Formats MetadataExtractor knows that the scanner does not decode (their names for records and warnings).</summary>
    private static readonly Dictionary<FileType, (string Name, string Mime, string[] Extensions)> OtherFormats = new()
    {
        [FileType.Psd] = ("PSD", "image/vnd.adobe.photoshop", ["psd"]),
    };

    public static ImageMetadata Read(string path) => Read(File.ReadAllBytes(path), path);

    /// <param name="bytes">The whole file.</param>
    /// <param name="fileName">Used for the extension check and in warnings; may be a full path.</param>
    /// <param name="c2paTrust">Trust anchors for C2PA signers; without them every signer is reported untrusted (but still verified).</param>
    public static ImageMetadata Read(byte[] bytes, string? fileName, X509Certificate2Collection? c2paTrust = null)
    {
        var warnings = new List<string>();
        string label = fileName ?? "image";

        string? extension = fileName is null ? null : Path.GetExtension(fileName).TrimStart('.').ToLowerInvariant();
        if (extension == "") extension = null;
        // The decoder's signature check names the format (MetadataExtractor calls some TIFFs "ARW" and knows no AVIF,
        // JPEG 2000 or JPEG XL); MetadataExtractor's own detection only names what we do not decode.
        var imageFormat = ImageFormat.Detect(bytes, extension);
        FileType fileType;
        using (var probe = new MemoryStream(bytes, writable: false)) fileType = FileTypeDetector.DetectFileType(probe);

        IReadOnlyList<Directory> directories = [];
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            directories = imageFormat?.Id switch
            {
                "avif" => HeifMetadataReader.ReadMetadata(stream),
                "jp2" or "j2k" or "jxl" => IsoBoxMetadata.Read(bytes, warnings, label),
                _ => ImageMetadataReader.ReadMetadata(stream),
            };
        }
        catch (Exception e) when (e is ImageProcessingException or IOException or ArgumentException or InvalidOperationException)
        {
            warnings.Add($"{label}: metadata could not be read ({e.Message}).");
        }
        foreach (var directory in directories)
            foreach (var error in directory.Errors)
                warnings.Add($"{label}: {directory.Name}: {error}");

        var ifd0 = directories.OfType<ExifIfd0Directory>().FirstOrDefault();
        var exif = directories.OfType<ExifSubIfdDirectory>().FirstOrDefault();
        var gps = directories.OfType<GpsDirectory>().FirstOrDefault();
        var xmp = directories.OfType<XmpDirectory>().FirstOrDefault();
        var icc = directories.OfType<IccDirectory>().FirstOrDefault();
        var thumbnailDirectory = directories.OfType<ExifThumbnailDirectory>().FirstOrDefault();
        var xmpProperties = ReadXmp(xmp, label, warnings);

        (string? Name, string? MimeType, string[]? Extensions) format = imageFormat is not null
            ? (imageFormat.Name, imageFormat.MimeType, imageFormat.Extensions.ToArray())
            : OtherFormats.TryGetValue(fileType, out var other) ? other : default;

        var jpeg = imageFormat == ImageFormat.Jpeg ? JpegStructure.Parse(bytes) : null;

        return new ImageMetadata
        {
            DetectedFormat = format.Name ?? (fileType == FileType.Unknown ? null : fileType.ToString().ToUpperInvariant()),
            MimeType = format.MimeType,
            FileExtension = extension,
            ExpectedExtensions = format.Extensions ?? [],
            ExtensionMatchesFormat = extension is null || format.Extensions is null ? null : format.Extensions.Contains(extension),
            HasExif = ifd0 is not null || exif is not null,
            Make = Text(ifd0, ExifDirectoryBase.TagMake),
            Model = Text(ifd0, ExifDirectoryBase.TagModel),
            Software = Text(ifd0, ExifDirectoryBase.TagSoftware),
            DateTimeOriginal = Date(exif, ExifDirectoryBase.TagDateTimeOriginal),
            DateTimeDigitized = Date(exif, ExifDirectoryBase.TagDateTimeDigitized),
            DateTimeModified = Date(ifd0, ExifDirectoryBase.TagDateTime),
            Gps = ReadGps(gps),
            Orientation = Int(ifd0, ExifDirectoryBase.TagOrientation),
            ExifWidth = Int(exif, ExifDirectoryBase.TagExifImageWidth),
            ExifHeight = Int(exif, ExifDirectoryBase.TagExifImageHeight),
            Thumbnail = ReadThumbnail(bytes, jpeg, thumbnailDirectory, label, warnings),
            CreatorTool = xmpProperties.GetValueOrDefault("xmp:CreatorTool"),
            EditHistory = ReadHistory(xmpProperties),
            IccProfileDescription = icc?.GetDescription(IccDescriptionTag)?.Trim(),
            Quantization = jpeg is null ? null : JpegQuantization.Estimate(jpeg.QuantizationTables),
            Provenance = ProvenanceReader.Read(bytes, xmpProperties.GetValueOrDefault("dcterms:provenance"), c2paTrust),
            Warnings = warnings,
        };
    }

    private static string? Text(Directory? directory, int tag)
    {
        var value = directory?.GetString(tag)?.Trim().TrimEnd('\0').Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static int? Int(Directory? directory, int tag) =>
        directory is not null && directory.TryGetInt32(tag, out int value) ? value : null;

    private static DateTime? Date(Directory? directory, int tag)
    {
        var text = Text(directory, tag);
        if (text is null) return null;
        // EXIF writes "yyyy:MM:dd HH:mm:ss"; some tools use dashes or ISO 8601.
        string[] patterns = ["yyyy:MM:dd HH:mm:ss", "yyyy:MM:dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-ddTHH:mm:ss", "yyyy:MM:dd"];
        return DateTime.TryParseExact(text, patterns, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
    }

    private static GpsPosition? ReadGps(GpsDirectory? gps)
    {
        var location = gps?.GetGeoLocation();
        if (gps is null || location is null) return null;
        double? altitude = null;
        if (gps.TryGetRational(GpsDirectory.TagAltitude, out var rational) && rational.Denominator != 0)
        {
            altitude = rational.ToDouble();
            if (gps.TryGetInt32(GpsDirectory.TagAltitudeRef, out int reference) && reference == 1) altitude = -altitude;
        }
        DateTime? timestamp = gps.TryGetGpsDate(out var date) ? DateTime.SpecifyKind(date, DateTimeKind.Utc) : null;
        return new GpsPosition(location.Latitude, location.Longitude, altitude, timestamp);
    }

    private static ExifThumbnail? ReadThumbnail(byte[] bytes, JpegStructure? jpeg, ExifThumbnailDirectory? directory, string label, List<string> warnings)
    {
        if (directory is null || !directory.TryGetInt32(ExifThumbnailDirectory.TagThumbnailOffset, out int offset) ||
            !directory.TryGetInt32(ExifThumbnailDirectory.TagThumbnailLength, out int length) || length <= 0)
            return null;
        // Offsets count from the TIFF header inside APP1; accept an absolute offset too in case the reader already resolved it.
        int? start = null;
        foreach (int candidate in new[] { (jpeg?.ExifTiffOffset ?? 0) + offset, offset })
        {
            if (candidate >= 0 && candidate + length <= bytes.Length && JpegStructure.IsJpeg(bytes.AsSpan(candidate)))
            {
                start = candidate;
                break;
            }
        }
        if (start is null)
        {
            warnings.Add($"{label}: the EXIF thumbnail (offset {offset}, {length} bytes) is not a JPEG inside the file.");
            return new ExifThumbnail { LengthBytes = length };
        }
        var thumbnail = bytes.AsSpan(start.Value, length).ToArray();
        var size = SkiaCodec.ReadSize(thumbnail);
        if (size is null) warnings.Add($"{label}: the EXIF thumbnail cannot be decoded.");
        return new ExifThumbnail { Width = size?.Width, Height = size?.Height, LengthBytes = length, Bytes = thumbnail };
    }

    private static Dictionary<string, string> ReadXmp(XmpDirectory? xmp, string label, List<string> warnings)
    {
        if (xmp is null) return [];
        try
        {
            return new Dictionary<string, string>(xmp.GetXmpProperties(), StringComparer.Ordinal);
        }
        catch (Exception e)
        {
            warnings.Add($"{label}: XMP could not be parsed ({e.Message}).");
            return [];
        }
    }

    [GeneratedRegex(@"^xmpMM:History\[(\d+)\]/stEvt:(\w+)$")]
    private static partial Regex HistoryPath();

    private static IReadOnlyList<EditHistoryEvent> ReadHistory(Dictionary<string, string> xmp)
    {
        var events = new SortedDictionary<int, Dictionary<string, string>>();
        foreach (var (key, value) in xmp)
        {
            var match = HistoryPath().Match(key);
            if (!match.Success) continue;
            int index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!events.TryGetValue(index, out var fields)) events[index] = fields = [];
            fields[match.Groups[2].Value] = value;
        }
        return events.Values.Select(f => new EditHistoryEvent(
            f.GetValueOrDefault("action"), f.GetValueOrDefault("softwareAgent"), f.GetValueOrDefault("when"), f.GetValueOrDefault("changed"))).ToArray();
    }
}
