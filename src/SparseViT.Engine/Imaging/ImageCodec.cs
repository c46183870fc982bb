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
