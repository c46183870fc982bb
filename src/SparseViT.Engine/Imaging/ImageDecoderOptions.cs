namespace SparseViT.Engine.Imaging;

/// <summary>Options of <see cref="ImageDecoder"/>.</summary>
public sealed record ImageDecoderOptions
{
    /// <summary>PIL's Image.MAX_IMAGE_PIXELS (int(1024 * 1024 * 1024 // 4 // 3)).</summary>
    public const long DefaultMaxPixels = 89_478_485;

    /// <summary>Images whose header declares more pixels than this are refused before decoding (<see cref="ImageDecodeErrorCodes.ImageTooLarge"/>).</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    public static ImageDecoderOptions Default { get; } = new();
}
