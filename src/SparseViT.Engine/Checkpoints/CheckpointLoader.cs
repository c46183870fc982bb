using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using SparseViT.Engine.Checkpoints.Pickle;
using SparseViT.Engine.Model;

namespace SparseViT.Engine.Checkpoints;

/// <summary>Entry point: reads any supported checkpoint file into a validated SparseViT state dict.</summary>
public static class CheckpointLoader
{
    // Keys under which training scripts nest the model's state dict, in order of preference.
    private static readonly string[] ModelKeys = ["model", "state_dict", "model_state_dict", "net"];

    // Prefixes added by wrappers: DistributedDataParallel / DataParallel, torch.compile.
    private static readonly string[] WrapperPrefixes = ["module.", "_orig_mod."];

    /// <summary>Identifies the format by content (extension is ignored).</summary>
    public static CheckpointFormat DetectFormat(string path)
    {
        var head = new byte[16];
        int n;
        using (var fs = PyTorchCheckpointReader.OpenFile(path)) n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var span = head.AsSpan(0, n);
        if (n == 0) throw new CheckpointException(CheckpointErrorCodes.Empty, path, "the file is empty (0 bytes)");
        if (PyTorchCheckpointReader.LooksLikeZip(span)) return CheckpointFormat.PyTorchZip;
        if (PyTorchCheckpointReader.LooksLikeLegacy(span)) return CheckpointFormat.PyTorchLegacy;
        if (Safetensors.LooksLikeSafetensors(span)) return CheckpointFormat.Safetensors;
        throw new CheckpointException(CheckpointErrorCodes.UnrecognizedFormat, path,
            $"not a PyTorch (zip or legacy) or safetensors checkpoint: it starts with bytes {Convert.ToHexString(head, 0, Math.Min(n, 8))}" +
            (n < 8 ? $" and is only {n} bytes long" : ""));
    }

    /// <summary>
    /// Loads a checkpoint. With <paramref name="expected"/> the state dict must match that configuration;
    /// without it the configuration is inferred (<see cref="SparseViTConfigInference"/>) and must match itself
    /// (no stray, missing or mis-shaped entries). <paramref name="validate"/> = false skips both checks, for
    /// inspecting arbitrary files.
    /// </summary>
    /// <exception cref="CheckpointException">Every failure, with a stable <see cref="CheckpointException.Code"/>.</exception>
    public static LoadedCheckpoint Load(string path, SparseViTConfig? expected = null, bool validate = true)
    {
        ArgumentNullException.ThrowIfNull(path);
        var format = DetectFormat(path);
        string sha = HashFile(path);

        StateDict raw;
        string layout;
        IReadOnlyList<string> entries;
        int? headDimHint = null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);

        if (format == CheckpointFormat.Safetensors)
        {
            var content = Safetensors.Read(path);
            raw = content.Tensors;
            foreach (var (k, v) in content.Metadata) metadata[k] = v;
            layout = "safetensors state dict";
            entries = raw.Keys.ToList();
        }
        else
        {
            using var pickled = PyTorchCheckpointReader.Open(path);
            (raw, layout, entries, headDimHint) = ExtractStateDict(pickled, metadata);
        }

        var (stateDict, stripped) = StripWrapperPrefix(raw, path);
        if (stripped is not null) layout += $", '{stripped}' prefix stripped";

        SparseViTConfig? config = expected;
        string source = "given by the caller";
        if (config is null)
        {
            try
            {
                config = SparseViTConfigInference.Infer(stateDict, headDimHint, path);
                source = headDimHint is not null && config.HeadDim == headDimHint
                    ? "inferred from shapes; head_dim from the training args"
                    : "inferred from shapes; head_dim by convention (not stored in weights)";
            }
            catch (CheckpointException) when (!validate)
            {
                source = "not a SparseViT state dict";
            }
        }
        if (validate)
        {
            try { config!.Validate(); }
            catch (ArgumentException e)
            {
                throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"the weights describe an unsupported SparseViT shape ({config}): {e.Message}", e);
            }
            Validate(stateDict, config!, path);
        }

        var dtypes = new List<TensorDType>();
        foreach (var t in stateDict.Values) if (!dtypes.Contains(t.DType)) dtypes.Add(t.DType);

        return new LoadedCheckpoint
        {
            Path = path,
            Format = format,
            StateDict = stateDict,
            Layout = layout,
            SourceDTypes = dtypes,
            Sha256 = sha,
            Entries = entries,
            Configuration = config,
            ConfigurationSource = source,
            Metadata = metadata,
        };
    }

    /// <summary>Compares names and shapes with <see cref="SparseViTStateDictLayout.Expected"/>; never throws.</summary>
    public static StateDictMismatch Compare(IReadOnlyDictionary<string, CheckpointTensor> stateDict, SparseViTConfig config)
    {
        var expected = SparseViTStateDictLayout.Expected(config);
        var expectedNames = new HashSet<string>(expected.Select(e => e.Name), StringComparer.Ordinal);
        var missing = new List<string>();
        var shapes = new List<(string, long[], long[])>();
        foreach (var (name, shape) in expected)
        {
            if (!stateDict.TryGetValue(name, out var t)) missing.Add(name);
            else if (!t.Shape.SequenceEqual(shape)) shapes.Add((name, t.Shape, shape));
        }
        var unexpected = stateDict.Keys.Where(k => !expectedNames.Contains(k)).ToList();
        return new StateDictMismatch(missing, unexpected, shapes);
    }

    /// <summary>Throws CheckpointKeysMismatch naming missing, unexpected and mis-shaped entries (up to 10 each, with counts).</summary>
    public static void Validate(IReadOnlyDictionary<string, CheckpointTensor> stateDict, SparseViTConfig config, string? path = null)
    {
        var m = Compare(stateDict, config);
        if (!m.IsMatch)
            throw new CheckpointException(CheckpointErrorCodes.KeysMismatch, path, $"state dict does not fit SparseViT ({config}): {m}");
    }

    private static (StateDict, string, IReadOnlyList<string>, int?) ExtractStateDict(PickledCheckpoint ck, Dictionary<string, string> metadata)
    {
        if (ck.Root is not PyDict root)
            throw new CheckpointException(CheckpointErrorCodes.Unsupported, ck.Path,
                $"the checkpoint holds a {PyRepr.TypeName(ck.Root)}, not a state dict (save model.state_dict(), not the model)");
        var entries = root.Items.Select(kv => kv.Key as string ?? PyRepr.Short(kv.Key)).ToList();

        if (root.Count > 0 && root.Items.All(kv => kv.Value is TorchTensorRef))
            return (Materialize(ck, root, "the state dict"), "bare state dict", entries, null);

        foreach (var key in ModelKeys)
        {
            if (!root.TryGet(key, out var inner) || inner is not PyDict sd) continue;
            int? headDim = null;
            var others = entries.Where(e => e != key).ToList();
            foreach (var kv in root.Items)
            {
                if (kv.Key is not string name || name == key) continue;
                if (kv.Value is PyObject o && o.State is PyDict fields)
                    foreach (var f in fields.Items)
                    {
                        if (f.Key is not string fk) continue;
                        if (Scalar(f.Value) is { } text) metadata[$"{name}.{fk}"] = text;
                        if (fk == "head_dim" && f.Value is long hd && hd is > 0 and <= 4096) headDim = (int)hd;
                    }
                else if (Scalar(kv.Value) is { } text) metadata[name] = text;
            }
            string layout = others.Count == 0
                ? $"model-only checkpoint: {{'{key}': state dict}}"
                : $"training checkpoint: {key} + {string.Join(", ", others)} (ignored)";
            return (Materialize(ck, sd, $"'{key}'"), layout, entries, headDim);
        }

        throw new CheckpointException(CheckpointErrorCodes.Unsupported, ck.Path,
            $"no state dict found: top-level keys are {string.Join(", ", entries.Take(10).Select(e => "'" + e + "'"))}" +
            $" (expected tensors, or one of {string.Join(", ", ModelKeys.Select(k => "'" + k + "'"))} holding them)");
    }

    private static StateDict Materialize(PickledCheckpoint ck, PyDict sd, string where)
    {
        var result = new StateDict();
        foreach (var kv in sd.Items)
        {
            if (kv.Key is not string name)
                throw new CheckpointException(CheckpointErrorCodes.Unsupported, ck.Path, $"{where} has a non-string key {PyRepr.Short(kv.Key)}");
            if (kv.Value is not TorchTensorRef t)
                throw new CheckpointException(CheckpointErrorCodes.Unsupported, ck.Path, $"{where} entry '{name}' is a {PyRepr.TypeName(kv.Value)}, not a tensor");
            result.Add(ck.Materialize(name, t));
        }
        return result;
    }

    private static (StateDict, string?) StripWrapperPrefix(StateDict sd, string path)
    {
        foreach (var prefix in WrapperPrefixes)
        {
            if (sd.Count == 0 || !sd.Keys.All(k => k.StartsWith(prefix, StringComparison.Ordinal))) continue;
            var stripped = new StateDict();
            foreach (var t in sd.Values)
            {
                string name = t.Name[prefix.Length..];
                if (stripped.ContainsKey(name))
                    throw new CheckpointException(CheckpointErrorCodes.Corrupt, path, $"'{t.Name}' collides with another key once '{prefix}' is removed");
                stripped.Add(new CheckpointTensor(name, t.DType, t.Shape, t.Data));
            }
            return (stripped, prefix);
        }
        return (sd, null);
    }

    private static string? Scalar(object? v) => v switch
    {
        null => "None",
        string s => s,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        BigInteger b => b.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string HashFile(string path)
    {
        using var fs = PyTorchCheckpointReader.OpenFile(path);
        return Convert.ToHexString(SHA256.HashData(fs)).ToLowerInvariant();
    }
}
