using System.Diagnostics;
using SparseViT.Engine.Native;

namespace SparseViT.Engine.Tests.Native;

/// <summary>
/// The compatibility step that lets TorchSharp's GCC 13 build load on libstdc++ 12. Running it with --force on
/// a pristine copy of the package's library checks the ELF edits on any host; the library these tests
/// themselves run on proves the patched result loads.
/// </summary>
public class LibStdCxxCompatibilityTests
{
    private static string Script => Path.Combine(Fixtures.RepoRoot, "src", "SparseViT.Engine", "Native", "compat", "patch-libtorchsharp.sh");

    [Fact]
    public void PatchAddsTheShimMarksTheVersionWeakAndIsIdempotent()
    {
        string pristine = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(pristine), $"TorchSharp package library not found at {pristine}");
        using var dir = new TempDir();
        string lib = dir.File("libLibTorchSharp.so");
        File.Copy(pristine, lib);
        Assert.DoesNotContain("WEAK", Run("readelf", $"-V {lib}").Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32")));

        Run("bash", $"{Script} {dir.Path} --force");
        Assert.Contains("[libsparsevit_stdcxx_compat.so]", Run("readelf", $"-d {lib}"));
        Assert.Contains("Flags: WEAK", Run("readelf", $"-V {lib}").Split('\n').Single(l => l.Contains("Name: GLIBCXX_3.4.32")));
        Assert.True(File.Exists(dir.File("libsparsevit_stdcxx_compat.so")));
        Assert.Contains("_ZSt21ios_base_library_initv", Run("readelf", $"-Ws --dyn-syms {dir.File("libsparsevit_stdcxx_compat.so")}"));

        byte[] once = File.ReadAllBytes(lib);
        Run("bash", $"{Script} {dir.Path} --force");
        Assert.Equal(once, File.ReadAllBytes(lib));
    }

    [Fact]
    public void TheRuntimeLoadsOnThisHost()
    {
        TorchRuntime.EnsureInitialized();
        Assert.StartsWith("2.", TorchRuntime.LibTorchVersion);
    }

    private static string Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(120_000), $"{file} {args} timed out");
        Assert.True(p.ExitCode == 0, $"{file} {args} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }
}
