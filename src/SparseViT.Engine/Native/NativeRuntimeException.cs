namespace SparseViT.Engine.Native;

/// <summary>The native tensor runtime could not be started; the message says why and what to do.</summary>
public sealed class NativeRuntimeException(string message, Exception? inner = null) : Exception(message, inner);
