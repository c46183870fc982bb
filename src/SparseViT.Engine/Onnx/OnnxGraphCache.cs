using Google.Protobuf;
using Onnx;
using SparseViT.Engine.Model;

namespace SparseViT.Engine.Onnx;

/// <summary>
/// Where a checkpoint's ONNX graph is kept, so it is written once: beside the checkpoint as
/// "&lt;stem&gt;.&lt;sha256[..16]&gt;.onnx", or in the user's cache folder when the checkpoint's folder is read-only. A cached
/// graph is used only when it parses and records the same checkpoint SHA-256 and builder version; anything else
/// (corrupt, truncated, another checkpoint's, an older builder's) is rebuilt and replaced atomically.
/// </summary>
public static class OnnxGraphCache
{
    public static byte[] GetOrBuild(SparseViTModel model, string checkpointPath, string checkpointSha256, out string? cachePath, out bool built)
    {
        built = false;
        cachePath = null;
        if (string.IsNullOrEmpty(checkpointSha256))
        {
            // Weights with no file behind them (a benchmark's random ones) have nothing to key a cache on.
            built = true;
            return SparseViTOnnxExporter.Export(model, "").ToByteArray();
        }
        foreach (string candidate in Candidates(checkpointPath, checkpointSha256))
        {
            if (TryRead(candidate, checkpointSha256) is { } cached)
            {
                cachePath = candidate;
                return cached;
            }
        }
        byte[] graph = SparseViTOnnxExporter.Export(model, checkpointSha256).ToByteArray();
        built = true;
        foreach (string candidate in Candidates(checkpointPath, checkpointSha256))
        {
            if (TryWrite(candidate, graph))
            {
                cachePath = candidate;
                break;
            }
        }
        return graph;
    }

    /// <summary>The recorded checkpoint hash of a cached graph, or null when the file is no valid graph of ours.</summary>
    public static string? RecordedCheckpoint(byte[] graph)
    {
        try
        {
            var model = ModelProto.Parser.ParseFrom(graph);
            string? builder = model.MetadataProps.FirstOrDefault(p => p.Key == "sparsevit.builder")?.Value;
            return builder == SparseViTOnnxExporter.BuilderVersion ? model.MetadataProps.FirstOrDefault(p => p.Key == "sparsevit.checkpoint_sha256")?.Value : null;
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>SPARSEVIT_ONNX_CACHE, when set, is the only folder used (for read-only checkpoints shared between users, and tests).</summary>
    public static IEnumerable<string> Candidates(string checkpointPath, string sha256) =>
        Candidates(checkpointPath, sha256, Environment.GetEnvironmentVariable("SPARSEVIT_ONNX_CACHE"));

    /// <param name="cacheFolder">Overrides both places when not empty.</param>
    public static IEnumerable<string> Candidates(string checkpointPath, string sha256, string? cacheFolder)
    {
        string name = $"{Path.GetFileNameWithoutExtension(checkpointPath)}.{sha256[..Math.Min(16, sha256.Length)]}.onnx";
        if (cacheFolder is { Length: > 0 } folder)
        {
            yield return Path.Combine(folder, name);
            yield break;
        }
        if (!string.IsNullOrEmpty(checkpointPath)) yield return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(checkpointPath))!, name);
        string root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        yield return Path.Combine(root, "sparsevit", "onnx", name);
    }

    private static byte[]? TryRead(string path, string sha256)
    {
        try
        {
            if (!File.Exists(path)) return null;
            byte[] bytes = File.ReadAllBytes(path);
            return RecordedCheckpoint(bytes) == sha256 ? bytes : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool TryWrite(string path, byte[] graph)
    {
        string temp = path + $".{Environment.ProcessId}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(temp, graph);
            File.Move(temp, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temp); } catch (Exception) { }
            return false;
        }
    }
}
