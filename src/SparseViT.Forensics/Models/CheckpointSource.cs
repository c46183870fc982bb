namespace SparseViT.Forensics.Models;

public enum CheckpointSource { Explicit, Environment, ToolCheckpoints, RepositoryCheckpoints, ShippedDefault }
