using System.Runtime.CompilerServices;

namespace SparseViT.Tests.Shared;

/// <summary>
/// Test processes (and the tool and pwsh processes they start, which inherit the environment) keep ONNX graph caches in
/// one temporary folder: never beside the read-only reference checkpoints in ../shared or the shipped default model.
/// </summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void IsolateOnnxCache()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SPARSEVIT_ONNX_CACHE"))) return;
        string folder = Path.Combine(Path.GetTempPath(), $"sparsevit-onnx-cache-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        Environment.SetEnvironmentVariable("SPARSEVIT_ONNX_CACHE", folder);
    }
}
