namespace SparseViT.Forensics.Metrics;

/// <summary>
/// A folder of ground-truth masks, matched to images by file-name stem. Masks may carry the suffixes the
/// common datasets use (CASIA's "_gt", others' "_mask"), so `Tp/x.jpg` finds `Gt/x.png` or `Gt/x_gt.png`.
/// </summary>
public sealed class GroundTruthFolder
{
    private static readonly string[] Suffixes = ["", "_gt", "_mask"];
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".webp", ".gif"];

    public GroundTruthFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"the ground-truth folder '{folder}' does not exist");
        Folder = Path.GetFullPath(folder);
    }

    public string Folder { get; }

    /// <summary>The mask for <paramref name="imagePath"/>, or null when the folder has none.</summary>
    public string? FindMask(string imagePath)
    {
        string stem = Path.GetFileNameWithoutExtension(imagePath);
        foreach (string suffix in Suffixes)
            foreach (string extension in Extensions)
            {
                string candidate = Path.Combine(Folder, stem + suffix + extension);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
