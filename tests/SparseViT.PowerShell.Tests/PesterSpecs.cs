using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace SparseViT.PowerShell.Tests;

/// <summary>
/// Runs the Pester specs (Specs/*.Tests.ps1) in real pwsh 7.6.9 — the repository's local .NET tool — against the
/// assembled module, and reports each Pester test as its own xunit case, so `dotnet test` counts and names them.
/// Discovery asks Pester for the test names (no test runs); the first case runs the whole Pester suite once in one
/// pwsh session (the way a user's session loads the model once), and every case then reports its own result.
/// </summary>
public sealed class PesterSpecs
{
    private static readonly Lazy<Dictionary<string, PesterResult>> Results = new(() => Invoke(discoverOnly: false)
        .ToDictionary(r => r.Name, StringComparer.Ordinal));

    public static TheoryData<string> Specs
    {
        get
        {
            var data = new TheoryData<string>();
            try
            {
                foreach (var test in Invoke(discoverOnly: true)) data.Add(test.Name);
            }
            catch (Exception e)
            {
                // Reported as a failing case with the reason rather than silently discovering nothing.
                data.Add("discovery failed: " + e.Message);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Spec(string name)
    {
        Assert.False(name.StartsWith("discovery failed: ", StringComparison.Ordinal), name);
        var results = Results.Value;
        Assert.True(results.TryGetValue(name, out var result), $"'{name}' was discovered but did not run; ran: {string.Join(", ", results.Keys.Take(20))}");
        Assert.True(result.Result == "Passed", $"{result.Result} after {result.Seconds:F1} s\n{result.Error}");
    }

    [Fact]
    public void Every_spec_file_loads()
    {
        var failed = Results.Value.Values.Where(r => r.Name.EndsWith("(container)", StringComparison.Ordinal)).ToList();
        Assert.True(failed.Count == 0, string.Join("\n\n", failed.Select(f => $"{f.Name}: {f.Error}")));
    }

    private sealed record PesterResult(string Name, string Result, double Seconds, string Error);

    private static string RepoRoot { get; } = FindRepoRoot();

    private static IReadOnlyList<PesterResult> Invoke(bool discoverOnly)
    {
        string pester = Metadata("PesterManifest");
        if (!File.Exists(pester)) throw new FileNotFoundException($"Pester 6.2.0 is not restored at {pester} (run dotnet restore)");
        string specs = Path.Combine(RepoRoot, "tests", "SparseViT.PowerShell.Tests", "Specs");
        string output = Path.Combine(Path.GetTempPath(), $"sparsevit-pester-{Guid.NewGuid():N}.json");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in new[] { "tool", "run", "pwsh", "--", "-NoProfile", "-NonInteractive", "-File", Path.Combine(specs, "Invoke-Specs.ps1"),
                     "-PesterManifest", pester, "-ResultPath", output })
            start.ArgumentList.Add(a);
        if (discoverOnly) start.ArgumentList.Add("-DiscoverOnly");
        string moduleDir = Environment.GetEnvironmentVariable("SPARSEVIT_MODULE_DIR") is { Length: > 0 } custom
            ? Path.GetFullPath(custom)
            : Path.Combine(RepoRoot, "artifacts", "module", ModuleHost.ModuleName);
        start.Environment["SPARSEVIT_MODULE"] = Path.Combine(moduleDir, ModuleHost.ModuleName + ".psd1");
        start.Environment["SPARSEVIT_THREADS"] = "1";
        start.Environment["SPARSEVIT_OTHER_CSVHELPER"] = Metadata("OtherCsvHelper");
        // The specs must not pick up a developer's own model or a scheduler's shard.
        start.Environment.Remove("SPARSEVIT_CHECKPOINT");
        start.Environment.Remove("SLURM_ARRAY_TASK_ID");
        start.Environment.Remove("JOB_COMPLETION_INDEX");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start pwsh");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = discoverOnly ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(15);
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"pwsh did not finish the specs within {limit.TotalMinutes:F0} min\n{stdout.Result}\n{stderr.Result}");
        }
        process.WaitForExit();
        try
        {
            if (process.ExitCode != 0 || !File.Exists(output))
                throw new InvalidOperationException($"pwsh exited {process.ExitCode} without results\n--- stdout ---\n{stdout.Result}\n--- stderr ---\n{stderr.Result}");
            using var document = JsonDocument.Parse(File.ReadAllText(output));
            return document.RootElement.EnumerateArray().Select(e => new PesterResult(
                e.GetProperty("name").GetString()!,
                e.GetProperty("result").GetString()!,
                e.GetProperty("seconds").GetDouble(),
                e.GetProperty("error").GetString() ?? "")).ToList();
        }
        finally
        {
            File.Delete(output);
        }
    }

    private static string Metadata(string key) =>
        typeof(PesterSpecs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("SparseViT.Automation.sln not found above " + AppContext.BaseDirectory);
    }
}
