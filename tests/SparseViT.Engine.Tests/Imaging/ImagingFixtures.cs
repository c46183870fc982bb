using SparseViT.Engine.IO;

namespace SparseViT.Engine.Tests.Imaging;

/// <summary>Locates ../shared/fixtures/sparsevit-tiny/ relative to the repository root (the folder holding SparseViT.Automation.sln).</summary>
internal static class ImagingFixtures
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln")))
            dir = dir.Parent;
        if (dir is null) throw new DirectoryNotFoundException($"no SparseViT.Automation.sln above {AppContext.BaseDirectory}");
        return dir.FullName;
    });

    public static string RepoRoot => Root.Value;

    public static string Dir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", "sparsevit-tiny"));

    public static string File(string name) => Path.Combine(Dir, name);

    public static string ImageFile(int n) => File(n == 3 ? "case3.png" : $"case{n}.jpg");

    public static NpyArray Npy(string name) => NpyArray.Read(File(name));
}
