namespace SparseViT.Engine.Imaging;

/// <summary>Which library decodes a format.</summary>
public enum ImageCodec
{
    /// <summary>SkiaSharp (libjpeg-turbo, libpng, libwebp): the formats it decodes exactly as PIL.</summary>
    Skia,
    /// <summary>BitMiracle LibTiff.NET (managed libtiff): raw samples converted by PIL's rules.</summary>
    LibTiff,
    /// <summary>Magick.NET (libheif, OpenJPEG, libjxl, LibRaw) with an allow-list policy and an explicit coder.</summary>
    Magick,
}

public static class ImageCodecNames
{
    /// <summary>The library's own name, as `sparsevit formats` and Get-SparseViTImageFormat show it.</summary>
    public static string LibraryName(this ImageCodec codec) => codec switch
    {
        ImageCodec.Skia => "SkiaSharp",
        ImageCodec.LibTiff => "LibTiff.NET",
        ImageCodec.Magick => "Magick.NET",
        _ => codec.ToString(),
    };
}
