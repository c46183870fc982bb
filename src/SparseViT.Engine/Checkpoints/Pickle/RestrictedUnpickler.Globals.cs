using System.Text;

namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>The allow-list and what each allowed global builds (all of it inert data).</summary>
public sealed partial class RestrictedUnpickler
{
    /// <summary>
    /// The allow-list. Everything here is either a container constructor, a tensor/storage description or a
    /// class kept as inert data; none of them has side effects even in Python. Returns null for any other name.
    /// </summary>
    public static PyGlobal? ResolveGlobal(string module, string name)
    {
        switch (module, name)
        {
            case ("collections", "OrderedDict"): return new(module, name, PyGlobalKind.OrderedDict);
            case ("torch._utils", "_rebuild_tensor_v2"): return new(module, name, PyGlobalKind.RebuildTensorV2);
            case ("torch._utils", "_rebuild_tensor"): return new(module, name, PyGlobalKind.RebuildTensor);
            case ("torch._utils", "_rebuild_parameter"):
            case ("torch._utils", "_rebuild_parameter_with_state"): return new(module, name, PyGlobalKind.RebuildParameter);
            // Training scripts pickle their argparse arguments; torch.device appears in some optimizer/args
            // dicts. Both are recorded as data (class name + fields), never instantiated.
            case ("argparse", "Namespace"):
            case ("torch", "device"): return new(module, name, PyGlobalKind.OpaqueClass);
            // Sets are plain containers of already-unpickled values (protocol 2 writes them via REDUCE).
            case ("builtins", "set"):
            case ("builtins", "frozenset"):
            case ("__builtin__", "set"):
            case ("__builtin__", "frozenset"): return new(module, name, PyGlobalKind.Set);
            case ("torch", "Size"): return new(module, name, PyGlobalKind.TorchSize);
            // Protocol 2 under Python 3 writes bytes values as _codecs.encode(text, 'latin1'): a pure conversion.
            case ("_codecs", "encode"): return new(module, name, PyGlobalKind.CodecsEncode);
        }
        if (module is "torch" or "torch.cuda" or "torch.storage")
        {
            TensorDType? dtype = name switch
            {
                "FloatStorage" => TensorDType.Float32,
                "HalfStorage" => TensorDType.Float16,
                "BFloat16Storage" => TensorDType.BFloat16,
                "DoubleStorage" => TensorDType.Float64,
                "LongStorage" => TensorDType.Int64,
                "IntStorage" => TensorDType.Int32,
                "ShortStorage" => TensorDType.Int16,
                "CharStorage" => TensorDType.Int8,
                "ByteStorage" => TensorDType.UInt8,
                "BoolStorage" => TensorDType.Bool,
                // torch 2 names untyped (byte) storages this way; tensors over them are uint8.
                "UntypedStorage" => TensorDType.UInt8,
                _ => null,
            };
            if (dtype is not null && (module != "torch.storage" || name == "UntypedStorage"))
                return new(module, name, PyGlobalKind.StorageType, dtype);
        }
        return null;
    }

    private PyGlobal Resolve(string module, string name)
    {
        var g = ResolveGlobal(module, name);
        // Other torch rebuild functions are legitimate torch.save output, just not weights this engine reads;
        // say so instead of calling the file hostile. They are refused all the same.
        if (g is null && module == "torch._utils" && name.StartsWith("_rebuild_", StringComparison.Ordinal))
            throw Fail(CheckpointErrorCodes.Unsupported,
                $"tensors rebuilt by '{module}.{name}' (quantized, sparse, meta, nested or subclass tensors) are not supported; save plain dense tensors");
        if (g is null)
            throw Fail(CheckpointErrorCodes.RefusedGlobal,
                $"refused pickle global '{module}.{name}' (only state-dict globals are allowed); nothing was executed");
        return g;
    }

    private object? Apply(object? callable, PyTuple args, int at)
    {
        if (callable is not PyGlobal g) throw Corrupt($"REDUCE at byte {at} applies a {PyRepr.TypeName(callable)}, which is not callable");
        switch (g.Kind)
        {
            case PyGlobalKind.OrderedDict:
                {
                    var d = new PyDict(isOrderedDict: true);
                    if (args.Count == 1 && args[0] is List<object?> pairs)
                        foreach (var p in pairs)
                        {
                            var kv = p is PyTuple pt && pt.Count == 2 ? pt.Items : p is List<object?> pl && pl.Count == 2 ? pl : null;
                            if (kv is null) throw Corrupt($"OrderedDict at byte {at} built from something other than pairs");
                            d.Set(kv[0], kv[1]);
                        }
                    else if (args.Count != 0) throw Corrupt($"OrderedDict at byte {at} called with {args.Count} arguments");
                    return Count(d);
                }
            case PyGlobalKind.RebuildTensorV2:
            case PyGlobalKind.RebuildTensor:
                return Count(RebuildTensor(g, args, at));
            case PyGlobalKind.RebuildParameter:
                if (args.Count < 1 || args[0] is not TorchTensorRef t) throw Corrupt($"{g.FullName} at byte {at} without a tensor");
                return t;
            case PyGlobalKind.OpaqueClass:
                return Count(new PyObject(g.FullName, args));
            case PyGlobalKind.Set:
                if (args.Count == 0) return Count(new List<object?>());
                if (args[0] is List<object?> l) return Count(new List<object?>(l));
                if (args[0] is PyTuple tt) return Count(new List<object?>(tt.Items));
                throw Corrupt($"{g.FullName} at byte {at} built from {PyRepr.TypeName(args[0])}");
            case PyGlobalKind.TorchSize:
                if (args.Count == 1 && args[0] is PyTuple size) return size;
                throw Corrupt($"torch.Size at byte {at} without a tuple");
            case PyGlobalKind.CodecsEncode:
                if (args.Count == 2 && args[0] is string s && args[1] is string enc && enc.Replace("-", "").Equals("latin1", StringComparison.OrdinalIgnoreCase))
                    return Count(Encoding.Latin1.GetBytes(s));
                throw Fail(CheckpointErrorCodes.Unsupported, $"_codecs.encode at byte {at} with arguments other than (str, 'latin1')");
            default:
                throw Fail(CheckpointErrorCodes.Unsupported, $"{g.FullName} cannot be called (byte {at})");
        }
    }

    private TorchTensorRef RebuildTensor(PyGlobal g, PyTuple args, int at)
    {
        // (storage, storage_offset, size, stride[, requires_grad, backward_hooks[, metadata]])
        if (args.Count < 4) throw Corrupt($"{g.FullName} at byte {at} with {args.Count} arguments (expected at least 4)");
        if (args[0] is not TorchStorageRef storage) throw Corrupt($"{g.FullName} at byte {at}: first argument is {PyRepr.TypeName(args[0])}, not a storage");
        if (args[1] is not long offset || offset < 0) throw Corrupt($"{g.FullName} at byte {at}: bad storage offset {PyRepr.Short(args[1])}");
        long[] shape = ToLongs(args[2], "size", g, at);
        long[] stride = ToLongs(args[3], "stride", g, at);
        if (shape.Length != stride.Length) throw Corrupt($"{g.FullName} at byte {at}: size has {shape.Length} dimensions but stride {stride.Length}");
        if (shape.Any(d => d < 0) || stride.Any(s => s < 0)) throw Corrupt($"{g.FullName} at byte {at}: negative size or stride");
        return new TorchTensorRef(storage, offset, shape, stride);
    }

    private long[] ToLongs(object? v, string what, PyGlobal g, int at)
    {
        if (v is not PyTuple t) throw Corrupt($"{g.FullName} at byte {at}: {what} is {PyRepr.TypeName(v)}, not a tuple");
        if (t.Count > 64) throw Corrupt($"{g.FullName} at byte {at}: {t.Count}-dimensional tensor");
        var r = new long[t.Count];
        for (int i = 0; i < r.Length; i++)
            r[i] = t[i] is long l ? l : throw Corrupt($"{g.FullName} at byte {at}: {what}[{i}] is {PyRepr.TypeName(t[i])}");
        return r;
    }

    private object? NewObject(object? cls, PyTuple args, int at)
    {
        if (cls is not PyGlobal g) throw Corrupt($"NEWOBJ at byte {at} on a {PyRepr.TypeName(cls)}, which is not a class");
        return g.Kind switch
        {
            PyGlobalKind.OpaqueClass => Count(new PyObject(g.FullName, args)),
            PyGlobalKind.OrderedDict => Count(new PyDict(isOrderedDict: true)),
            PyGlobalKind.Set => Count(new List<object?>()),
            _ => throw Fail(CheckpointErrorCodes.Unsupported, $"NEWOBJ at byte {at} on {g.FullName}, which is not a data class"),
        };
    }

    private void Build(object? target, object? state, int at)
    {
        switch (target)
        {
            case PyObject o:
                o.State = state;
                break;
            case PyDict d:
                // OrderedDict.__reduce__ passes the instance __dict__ (torch: {'_metadata': ...}); a (dict, slots)
                // pair is also legal. Either way these are attributes, not items.
                if (state is PyDict sd) d.Attributes = sd;
                else if (state is PyTuple st && st.Count == 2 && st[0] is PyDict sd0) d.Attributes = sd0;
                else if (state is not null) throw Corrupt($"BUILD at byte {at} gives a dict a {PyRepr.TypeName(state)} state");
                break;
            case TorchTensorRef:
                break; // parameter/tensor python attributes (e.g. _rebuild_parameter_with_state); not weights
            default:
                throw Corrupt($"BUILD at byte {at} on a {PyRepr.TypeName(target)}");
        }
    }

    // ---- stack and memo --------------------------------------------------------------------------
}
