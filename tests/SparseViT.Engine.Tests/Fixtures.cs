using SparseViT.Engine.IO;

namespace SparseViT.Engine.Tests;

/// <summary>Locates ../shared (fixtures, samples) relative to the repository root, the folder holding SparseViT.Automation.sln.</summary>
internal static class Fixtures
{
    private static readonly Lazy<string> RepoRootValue = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no SparseViT.Automation.sln above {AppContext.BaseDirectory}");
    });

    public static string RepoRoot => RepoRootValue.Value;

    public static string TinyDir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "fixtures", "sparsevit-tiny"));

    public static string SamplesDir => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "samples"));

    public static string Tiny(string file) => Path.Combine(TinyDir, file);

    public static string ImageFile(int n) => Tiny(n == 3 ? "case3.png" : $"case{n}.jpg");

    public static NpyArray Npy(string name) => NpyArray.Read(Tiny(name));
}

/// <summary>A scratch folder deleted with the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "svit-test-" + Guid.NewGuid().ToString("N")[..12]);
    public TempDir() => Directory.CreateDirectory(Path);
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
