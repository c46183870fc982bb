using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace SparseViT.PowerShell.Tests;

/// <summary>
/// Locates the assembled module and the shared fixtures, and runs scripts in a real PowerShell runspace with the
/// module imported from its manifest, as a user's session would. One instance per test run (xunit collection
/// fixture); each script gets a fresh runspace, while the process-wide model cache is shared, so the tiny
/// checkpoint is loaded once.
/// </summary>
public sealed class ModuleHost
{
    public const string ModuleName = "SparseViT.Automation";

    public ModuleHost()
    {
        RepoRoot = FindRepoRoot();
        SharedDir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
        ModuleDir = Environment.GetEnvironmentVariable("SPARSEVIT_MODULE_DIR") is { Length: > 0 } custom
            ? Path.GetFullPath(custom)
            : Path.Combine(RepoRoot, "artifacts", "module", ModuleName);
        ManifestPath = Path.Combine(ModuleDir, ModuleName + ".psd1");
        if (!File.Exists(ManifestPath)) BuildModule();
    }

    public string RepoRoot { get; }
    public string SharedDir { get; }
    public string ModuleDir { get; }
    public string ManifestPath { get; }
    public string SamplesDir => Path.Combine(SharedDir, "samples", "tampered");
    public string GroundTruthDir => Path.Combine(SharedDir, "samples", "ground-truth");
    public string Checkpoint => Path.Combine(SharedDir, "fixtures", "sparsevit-tiny", "checkpoint.pth");

    /// <summary>Runs <paramref name="script"/> after importing the module; variables are set before it runs.</summary>
    public ScriptResult Run(string script, IReadOnlyDictionary<string, object?>? variables = null, bool import = true)
    {
        var state = InitialSessionState.CreateDefault2();
        using var runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("ManifestPath", ManifestPath);
        runspace.SessionStateProxy.SetVariable("ModuleDir", ModuleDir);
        runspace.SessionStateProxy.SetVariable("Samples", SamplesDir);
        runspace.SessionStateProxy.SetVariable("GroundTruth", GroundTruthDir);
        runspace.SessionStateProxy.SetVariable("Fixture", Checkpoint);
        if (variables is not null)
            foreach (var (name, value) in variables) runspace.SessionStateProxy.SetVariable(name, value);

        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        if (import) ps.AddScript("Import-Module $ManifestPath -ErrorAction Stop").Invoke();
        if (ps.HadErrors)
            throw new InvalidOperationException("Import-Module failed: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
        ps.Commands.Clear();
        ps.Streams.ClearStreams();
        ps.AddScript(script);
        var watch = Stopwatch.StartNew();
        Collection<PSObject> output;
        Exception? terminating = null;
        try { output = ps.Invoke(); }
        catch (RuntimeException e) { output = []; terminating = e; }
        return new ScriptResult(output, [.. ps.Streams.Error], [.. ps.Streams.Progress], [.. ps.Streams.Warning],
            [.. ps.Streams.Verbose], terminating, watch.Elapsed);
    }

    /// <summary>
    /// Starts <paramref name="script"/>, waits for its first output object, then stops the pipeline as Ctrl+C does.
    /// Returns how many objects came out in total and how long Stop() took.
    /// </summary>
    public (int Outputs, TimeSpan StopTime, bool Completed) StopAfterFirstOutput(string script, IReadOnlyDictionary<string, object?> variables, TimeSpan firstOutputTimeout)
    {
        using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("ManifestPath", ManifestPath);
        runspace.SessionStateProxy.SetVariable("Fixture", Checkpoint);
        foreach (var (name, value) in variables) runspace.SessionStateProxy.SetVariable(name, value);
        using var ps = System.Management.Automation.PowerShell.Create();
        ps.Runspace = runspace;
        ps.AddScript("Import-Module $ManifestPath -ErrorAction Stop").Invoke();
        ps.Commands.Clear();
        ps.AddScript(script);
        var output = new PSDataCollection<PSObject>();
        using var first = new ManualResetEventSlim();
        output.DataAdded += (_, _) => first.Set();
        var async = ps.BeginInvoke<PSObject, PSObject>(null, output);
        bool gotOne = first.Wait(firstOutputTimeout);
        Assert.True(gotOne, "no output before the timeout");
        bool completed = async.IsCompleted;
        var watch = Stopwatch.StartNew();
        ps.Stop();
        watch.Stop();
        try { ps.EndInvoke(async); } catch (PipelineStoppedException) { }
        return (output.Count, watch.Elapsed, completed);
    }

    private void BuildModule()
    {
        // Normally the solution build has already assembled the module (the test project references the PowerShell
        // project for build order). This covers `dotnet test --no-build` and IDE runners.
#if RELEASE_BUILD
        const string configuration = "Release";
#else
        const string configuration = "Debug";
#endif
        var start = new ProcessStartInfo("dotnet", ["build", Path.Combine(RepoRoot, "src", "SparseViT.PowerShell"), "-c", configuration, "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoRoot,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet build");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("building the module took more than 10 minutes");
        }
        if (process.ExitCode != 0 || !File.Exists(ManifestPath))
            throw new InvalidOperationException($"building the module failed ({process.ExitCode}):\n{stdout.Result}\n{stderr.Result}");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("SparseViT.Automation.sln not found above " + AppContext.BaseDirectory);
    }
}

public sealed record ScriptResult(
    Collection<PSObject> Output,
    List<ErrorRecord> Errors,
    List<ProgressRecord> Progress,
    List<WarningRecord> Warnings,
    List<VerboseRecord> Verbose,
    Exception? Terminating,
    TimeSpan Elapsed)
{
    /// <summary>Fails with everything PowerShell reported, which is what one needs to see when a script breaks.</summary>
    public ScriptResult AssertSuccess()
    {
        if (Terminating is not null || Errors.Count > 0)
            Assert.Fail("script failed: " + (Terminating?.ToString() ?? "") + "\n" +
                        string.Join("\n", Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e} at {e.InvocationInfo?.PositionMessage}\n{e.Exception}")));
        return this;
    }
}

[CollectionDefinition(Name)]
public sealed class ModuleCollection : ICollectionFixture<ModuleHost>
{
    public const string Name = "module";
}
