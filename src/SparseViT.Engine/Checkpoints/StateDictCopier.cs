using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// The one way weights go into a module: a checkpoint's tensors copied by exact state-dict name (the predictor, the
/// trainer's starting weights and the benchmark's random ones all come through here). Every disagreement (missing,
/// unexpected, wrong shape) is collected and reported by name in one error, so a wrong checkpoint is
/// diagnosed in one run rather than one key at a time.
/// </summary>
public static class StateDictCopier
{
    public static void CopyInto(nn.Module module, IReadOnlyDictionary<string, CheckpointTensor> stateDict, string source = "")
    {
        var targets = module.state_dict();
        var missing = targets.Keys.Where(k => !stateDict.ContainsKey(k)).ToList();
        var unexpected = stateDict.Keys.Where(k => !targets.ContainsKey(k)).ToList();
        var mismatched = targets
            .Where(t => stateDict.TryGetValue(t.Key, out var c) && !c.Shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key} (checkpoint [{string.Join(",", stateDict[t.Key].Shape)}], model [{string.Join(",", t.Value.shape)}])")
            .ToList();
        if (missing.Count + unexpected.Count + mismatched.Count > 0)
            throw new CheckpointException(CheckpointErrorCodes.KeysMismatch, source.Length > 0 ? source : null,
                "state dict does not fit the model: " +
                Describe("missing", missing) + Describe("unexpected", unexpected) + Describe("shape mismatch", mismatched));

        using var noGrad = torch.no_grad();
        foreach (var (name, target) in targets)
        {
            var entry = stateDict[name];
            if (target.dtype == ScalarType.Int64)
            {
                var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(entry.Data.Span).ToArray();
                using var t = torch.tensor(longs.Length == 0 ? [0L] : longs, entry.Shape);
                target.copy_(t);
            }
            else
            {
                using var t = torch.tensor(entry.ToFloat32(), entry.Shape);
                target.copy_(t);
            }
        }
    }

    private static string Describe(string what, List<string> names) =>
        names.Count == 0 ? "" : $"{names.Count} {what}: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : "")}; ";
}
