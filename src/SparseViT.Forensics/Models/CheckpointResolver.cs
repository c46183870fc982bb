namespace SparseViT.Forensics.Models;

/// <summary>
/// Finds the checkpoint a front end uses (scan, mask, evaluate, the module's cmdlets), in this order: an explicit path, SPARSEVIT_CHECKPOINT, a checkpoint in
/// checkpoints/ beside the tool, one in the repository's checkpoints/ (found from the tool folder or the current
/// folder), the default model shipped with the tool. An explicit path or variable that names a missing file is an
/// error, not a fall-through: silently scanning with another model would produce misleading records.
/// </summary>
public static class CheckpointResolver
{
    public const string EnvironmentVariable = "SPARSEVIT_CHECKPOINT";
    public const string AuthorsRepository = "https://github.com/scu-zjz/SparseViT";
    public static readonly string[] Extensions = [".safetensors", ".pth", ".pt", ".ckpt"];

    /// <summary>
    /// Where the shipped default model lives, relative to the tool folder (packed tool) or the repository root. It sits
    /// in checkpoints/default/, not checkpoints/, so any checkpoint a user drops into checkpoints/ wins over it.
    /// </summary>
    public static readonly string ShippedDefaultRelativePath = Path.Combine("checkpoints", "default", "sparsevit-default.safetensors");

    public static ResolvedCheckpoint Resolve(string? explicitPath, string? toolDirectory = null, Func<string, string?>? environment = null, string? workingDirectory = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        toolDirectory ??= AppContext.BaseDirectory;
        workingDirectory ??= Directory.GetCurrentDirectory();
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return Existing(explicitPath, CheckpointSource.Explicit, "the checkpoint path");
        string? fromEnvironment = environment(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Existing(fromEnvironment, CheckpointSource.Environment, EnvironmentVariable);
        if (FirstIn(Path.Combine(toolDirectory, "checkpoints")) is { } beside) return new(beside, CheckpointSource.ToolCheckpoints);
        foreach (string start in new[] { toolDirectory, workingDirectory })
        {
            string? repo = FindRepositoryRoot(start);
            if (repo is not null && FirstIn(Path.Combine(repo, "checkpoints")) is { } inRepo) return new(inRepo, CheckpointSource.RepositoryCheckpoints);
        }
        foreach (string? root in new[] { toolDirectory, FindRepositoryRoot(toolDirectory), FindRepositoryRoot(workingDirectory) })
        {
            if (root is null) continue;
            string shipped = Path.Combine(root, ShippedDefaultRelativePath);
            if (File.Exists(shipped)) return new(Path.GetFullPath(shipped), CheckpointSource.ShippedDefault);
        }
        throw new CheckpointNotFoundException(
            "no SparseViT checkpoint found. Looked for an explicit path, " + EnvironmentVariable + ", " +
            Path.Combine(toolDirectory, "checkpoints") + "/, the repository's checkpoints/ and the shipped default model. " +
            "Download the authors' trained checkpoint (linked from the README of " + AuthorsRepository + "), then either name it " +
            "explicitly, set " + EnvironmentVariable + "=<file>, or put the file (.pth or .safetensors) in " +
            Path.Combine(toolDirectory, "checkpoints") + "/.");
    }

    private static ResolvedCheckpoint Existing(string path, CheckpointSource source, string origin)
    {
        if (Directory.Exists(path))
        {
            return FirstIn(path) is { } inside
                ? new(inside, source)
                : throw new CheckpointNotFoundException($"{origin} names the folder '{path}', which holds no checkpoint ({string.Join(", ", Extensions)}).");
        }
        if (!File.Exists(path)) throw new CheckpointNotFoundException($"{origin} names '{path}', which does not exist.");
        return new(Path.GetFullPath(path), source);
    }

    /// <summary>The first checkpoint in a folder by name (ordinal), so the choice is the same on every machine.</summary>
    private static string? FirstIn(string directory)
    {
        if (!Directory.Exists(directory)) return null;
        try
        {
            return Directory.EnumerateFiles(directory)
                .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(Path.GetFullPath)
                .FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SparseViT.Automation.sln"))) return dir.FullName;
        return null;
    }
}
