using System.Security.Cryptography;

namespace SparseViT.Forensics.Records;

/// <summary>The facts about a file a record starts from: where it is, how big, its hash and decoded size.</summary>
public sealed record ImageFileInfo(string Path, long SizeBytes, string Sha256, string Format, int Width, int Height)
{
    /// <summary>Hashes <paramref name="bytes"/> (the whole file, read once by the scan).</summary>
    public static ImageFileInfo FromBytes(string path, byte[] bytes, string format, int width, int height) =>
        new(System.IO.Path.GetFullPath(path), bytes.LongLength, Sha256Hex(bytes), format, width, height);

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
