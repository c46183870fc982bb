using System.Diagnostics;
using System.Text;

namespace SparseViT.Cli.Tests;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1}s\n--- stderr ---\n{Stderr}\n--- stdout (first 2000) ---\n{(Stdout.Length > 2000 ? Stdout[..2000] : Stdout)}";
}

/// <summary>
/// Runs sparsevit commands. <see cref="Run"/> runs them in this process through <see cref="CliHost"/> with captured
/// streams and an environment overlay (what most tests need: fast, and the same code path as the tool);
/// <see cref="RunProcess"/> runs the built sparsevit.dll as a child process with a timeout, for the end-to-end checks
/// that need a real process (exit status, working directory, a kill mid-scan, the packed tool).
/// </summary>
public static class CliRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));
    public static string FixtureCheckpoint => Path.Combine(Shared, "fixtures", "sparsevit-tiny", "checkpoint.pth");
    public static string Samples => Path.Combine(Shared, "samples", "tampered");
    /// <summary>
    /// The CLI's own build output (RID-specific, natives flat beside it), not the copy in the test folder, whose
    /// deps.json would point at native paths the test build lays out differently.
    /// </summary>
    public static string ToolDll { get; } = FindTool();

    private static string FindTool()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        string dll = Path.Combine(RepoRoot, "src", "SparseViT.Cli", "bin", configuration, "net10.0", "linux-x64", "sparsevit.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the CLI first: {dll} is missing");
    }

    /// <summary>
    /// In-process: the environment the child process would get (no developer model, one libtorch thread, stack traces on
    /// fatal errors) overlaid with <paramref name="environment"/>. A run that needs another working directory goes to a process.
    /// </summary>
    public static CliResult Run(string[] args, TimeSpan? timeout = null, string? stdin = null, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        if (workingDirectory is not null) return RunProcess(args, timeout, stdin, environment, workingDirectory);
        var overlay = new Dictionary<string, string?>
        {
            ["SPARSEVIT_CHECKPOINT"] = null, ["JOB_COMPLETION_INDEX"] = null, ["SLURM_ARRAY_TASK_ID"] = null, ["SLURM_ARRAY_TASK_COUNT"] = null,
            ["SPARSEVIT_THREADS"] = "1", ["SPARSEVIT_DEBUG"] = "1",
        };
        if (environment is not null)
            foreach (var (k, v) in environment) overlay[k] = v;
        using var stdout = new MemoryStream();
        var stderrText = new StringWriter();
        var stderr = TextWriter.Synchronized(stderrText);
        var console = SparseViT.Cli.Output.CliConsole.InMemory(stdout, stderr, stdin is null ? null : new StringReader(stdin),
            name => overlay.TryGetValue(name, out var value) ? value : Environment.GetEnvironmentVariable(name));
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => SparseViT.Cli.CliHost.Run(args, console));
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        if (!run.Wait(limit))
            throw new TimeoutException($"sparsevit {string.Join(' ', args)} did not finish within {limit.TotalSeconds:F0}s (in-process)\n--- stderr ---\n{stderrText}");
        console.Out.Flush();
        return new CliResult(run.Result, Encoding.UTF8.GetString(stdout.ToArray()), stderrText.ToString(), clock.Elapsed);
    }

    /// <summary>The built tool as a child process, always with a timeout, so a hang fails the test instead of blocking CI.</summary>
    public static CliResult RunProcess(string[] args, TimeSpan? timeout = null, string? stdin = null, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        using var process = Start(args, stdin is not null, environment, workingDirectory);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        var clock = Stopwatch.StartNew();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var limit = timeout ?? TimeSpan.FromMinutes(3);
        if (!process.WaitForExit(limit))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit(10_000);
            throw new TimeoutException($"sparsevit {string.Join(' ', args)} did not finish within {limit.TotalSeconds:F0}s\n--- stderr ---\n{stderr}");
        }
        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString(), clock.Elapsed);
    }

    public static Process Start(string[] args, bool redirectStdin = false, IDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectStdin,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepoRoot,
        };
        info.ArgumentList.Add(ToolDll);
        foreach (var a in args) info.ArgumentList.Add(a);
        // Tests must not pick up a developer's own model.
        info.Environment.Remove("SPARSEVIT_CHECKPOINT");
        info.Environment.Remove("JOB_COMPLETION_INDEX");
        info.Environment.Remove("SLURM_ARRAY_TASK_ID");
        info.Environment.Remove("SLURM_ARRAY_TASK_COUNT");
        info.Environment["SPARSEVIT_THREADS"] = "1";
        // Fatal errors print their stack trace, so a CI failure can be diagnosed from the log.
        info.Environment["SPARSEVIT_DEBUG"] = "1";
        if (environment is not null)
            foreach (var (k, v) in environment)
                if (v is null) info.Environment.Remove(k); else info.Environment[k] = v;
        return Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        throw new InvalidOperationException("SparseViT.Automation.sln not found above " + AppContext.BaseDirectory);
    }
}
