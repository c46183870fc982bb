using System.Diagnostics;
using System.IO.Compression;

namespace SparseViT.Cli.Tests;

/// <summary>
/// Packs the tool from the already-built CLI, installs it into a fresh --tool-path from that folder only, and runs
/// it: what a user on a new machine does. Takes a minute or two (libtorch is in the package); CI can select or skip
/// it with the trait.
/// </summary>
[Trait("Category", "Package")]
public sealed class PackageTests
{
    [Fact]
    public void Packed_tool_installs_into_a_fresh_tool_path_and_scans()
    {
        string root = Directory.CreateTempSubdirectory("sparsevit-pack-").FullName;
        try
        {
            string feed = Path.Combine(root, "feed"), tools = Path.Combine(root, "tools");
            string configuration = CliRunner.ToolDll.Contains("/Debug/") ? "Debug" : "Release";
            string project = Path.Combine(CliRunner.RepoRoot, "src", "SparseViT.Cli", "SparseViT.Cli.csproj");
            Run("dotnet", ["pack", project, "-c", configuration, "--no-build", "-o", feed], TimeSpan.FromMinutes(5));
            string package = Directory.GetFiles(feed, "*.nupkg").Single();
            {
                var names = PackageEntries(package);
                foreach (var native in new[] { "libtorch_cpu.so", "libLibTorchSharp.so", "libSkiaSharp.so", "libsparsevit_stdcxx_compat.so" })
                    Assert.Contains($"tools/net10.0/linux-x64/{native}", names);
                Assert.DoesNotContain("tools/net10.0/linux-x64/libtorch_python.so", names);
            }
            // A throwaway NuGet config so only the local feed (plus the machine's cache) is consulted.
            Run("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", feed, "SparseViT.Automation.Tool"], TimeSpan.FromMinutes(5));
            string exe = Path.Combine(tools, "sparsevit");
            var version = Run(exe, ["--version"], TimeSpan.FromMinutes(1));
            Assert.Contains("libtorch", version);
            var scan = Run(exe, ["scan", Path.Combine(CliRunner.Samples, "sample_1.jpg"), "--checkpoint", CliRunner.FixtureCheckpoint, "--format", "jsonl", "--fail-on", "never", "--quiet"], TimeSpan.FromMinutes(2));
            Assert.Contains("\"status\":\"ok\"", scan);

            // With no checkpoint named, from a folder outside the repository, the tool finds the default model it carries.
            Assert.Contains("tools/net10.0/linux-x64/checkpoints/default/sparsevit-default.safetensors", PackageEntries(package));
            var byDefault = Run(exe, ["scan", Path.Combine(CliRunner.Samples, "sample_1.jpg"), "--format", "jsonl", "--fail-on", "never", "--quiet"], TimeSpan.FromMinutes(2), workingDirectory: root, withoutCheckpointVariable: true);
            Assert.Contains("\"status\":\"ok\"", byDefault);
            Assert.Contains("\"name\":\"sparsevit-default\"", byDefault);
            // …and the calibration it carries beside it, which the verdict cites.
            Assert.Contains("tools/net10.0/linux-x64/checkpoints/default/sparsevit-default.calibration.json", PackageEntries(package));
            Assert.Contains("sparsevit-default.calibration.json", byDefault);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch { }
        }
    }

    private static HashSet<string> PackageEntries(string package)
    {
        using var zip = ZipFile.OpenRead(package);
        return zip.Entries.Select(e => e.FullName).ToHashSet();
    }

    private static string Run(string file, string[] args, TimeSpan timeout, string? workingDirectory = null, bool withoutCheckpointVariable = false)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) info.WorkingDirectory = workingDirectory;
        if (withoutCheckpointVariable) info.Environment.Remove("SPARSEVIT_CHECKPOINT");
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} timed out");
        }
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {p.ExitCode}\n{stdout.Result}\n{stderr.Result}");
        return stdout.Result;
    }
}
