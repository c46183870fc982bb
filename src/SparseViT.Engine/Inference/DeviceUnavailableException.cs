namespace SparseViT.Engine.Inference;

/// <summary>The requested device exists in principle but not on this machine.</summary>
public sealed class DeviceUnavailableException(string message) : Exception(message);
