namespace SparseViT.Engine.Tests.Checkpoints;

/// <summary>Locates the shared fixtures next to the repository (../shared/fixtures/sparsevit-tiny).</summary>
internal static class FixturePaths
{
    private static readonly Lazy<string> RepoRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no SparseViT.Automation.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RepoRoot.Value;

    public static string TinyDir => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "sparsevit-tiny"));

    public static string Tiny(string file) => Path.Combine(TinyDir, file);
}

/// <summary>A scratch folder deleted with the test.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "svit-ckpt-" + Guid.NewGuid().ToString("N")[..12]);
    public TempDir() => Directory.CreateDirectory(Path);
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
}
