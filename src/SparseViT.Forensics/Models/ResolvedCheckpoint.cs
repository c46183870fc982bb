namespace SparseViT.Forensics.Models;

public sealed record ResolvedCheckpoint(string Path, CheckpointSource Source)
{
    public string Describe() => Source switch
    {
        CheckpointSource.Explicit => $"{Path} (given explicitly)",
        CheckpointSource.Environment => $"{Path} (from {CheckpointResolver.EnvironmentVariable})",
        CheckpointSource.ToolCheckpoints => $"{Path} (checkpoints/ beside the tool)",
        CheckpointSource.RepositoryCheckpoints => $"{Path} (the repository's checkpoints/)",
        _ => $"{Path} (shipped default model)",
    };
}
