namespace SparseViT.Engine.Imaging;

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
