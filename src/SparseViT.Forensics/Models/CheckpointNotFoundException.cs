namespace SparseViT.Forensics.Models;

/// <summary>No checkpoint anywhere; the message says where to get one and how to point at it.</summary>
public sealed class CheckpointNotFoundException(string message) : Exception(message);
