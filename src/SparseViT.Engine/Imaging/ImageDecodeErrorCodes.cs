namespace SparseViT.Engine.Imaging;

/// <summary>Stable error codes of <see cref="ImageDecodeException"/>.</summary>
public static class ImageDecodeErrorCodes
{
    /// <summary>The file or buffer holds zero bytes.</summary>
    public const string ImageEmpty = "ImageEmpty";
    /// <summary>The data ends before the image is complete (PIL would raise "image file is truncated").</summary>
    public const string ImageTruncated = "ImageTruncated";
    /// <summary>The bytes are not an image in any supported format.</summary>
    public const string ImageUnrecognized = "ImageUnrecognized";
    /// <summary>The header declares more pixels than the configured limit (checked before decoding).</summary>
    public const string ImageTooLarge = "ImageTooLarge";
    /// <summary>A recognized format whose data could not be decoded (corrupt or unsupported variant).</summary>
    public const string ImageDecodeFailed = "ImageDecodeFailed";
}
