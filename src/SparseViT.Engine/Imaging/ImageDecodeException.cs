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
    /// <summary>A recognised format whose data could not be decoded (corrupt or unsupported variant).</summary>
    public const string ImageDecodeFailed = "ImageDecodeFailed";
}

/// <summary>An image could not be decoded. <see cref="Code"/> is one of <see cref="ImageDecodeErrorCodes"/>.</summary>
public sealed class ImageDecodeException : Exception
{
    public string Code { get; }
    /// <summary>The file the bytes came from, or a caller-supplied name such as "&lt;memory&gt;".</summary>
    public string Path { get; }

    public ImageDecodeException(string code, string path, string message, Exception? inner = null)
        : base($"{path}: {message}", inner)
    {
        Code = code;
        Path = path;
    }
}
