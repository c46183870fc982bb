namespace SparseViT.Forensics.Tests.Support;

/// <summary>Locates the shared samples next to the repository, whatever folder the tests run from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Shared(params string[] parts) => Path.Combine([Root, "..", "shared", .. parts]);

    public static string Sample(string name) => Shared("samples", "tampered", name);

    public static string GroundTruth(string name) => Shared("samples", "ground-truth", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no SparseViT.Automation.sln above {AppContext.BaseDirectory}.");
    }
}
