using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// Named tensors in the order the checkpoint stores them (which is the order the PyTorch module registers
/// them). Lookups are by name; enumeration is in insertion order.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, CheckpointTensor>
{
    private readonly List<CheckpointTensor> _ordered = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public StateDict() { }

    public StateDict(IEnumerable<CheckpointTensor> tensors)
    {
        foreach (var t in tensors) Add(t);
    }

    /// <summary>Adds a tensor under its own name; a duplicate name is an error.</summary>
    public void Add(CheckpointTensor tensor)
    {
        if (!_index.TryAdd(tensor.Name, _ordered.Count)) throw new ArgumentException($"duplicate state-dict key '{tensor.Name}'");
        _ordered.Add(tensor);
    }

    public CheckpointTensor this[string key] => _index.TryGetValue(key, out int i) ? _ordered[i] : throw new KeyNotFoundException($"state-dict key '{key}' not found");
    public IEnumerable<string> Keys => _ordered.Select(t => t.Name);
    public IEnumerable<CheckpointTensor> Values => _ordered;
    public IReadOnlyList<CheckpointTensor> Tensors => _ordered;
    public int Count => _ordered.Count;
    public bool ContainsKey(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CheckpointTensor value)
    {
        if (_index.TryGetValue(key, out int i)) { value = _ordered[i]; return true; }
        value = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, CheckpointTensor>> GetEnumerator() =>
        _ordered.Select(t => new KeyValuePair<string, CheckpointTensor>(t.Name, t)).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A copy with every floating-point tensor widened/narrowed to float32 (integer buffers such as
    /// num_batches_tracked keep their dtype).</summary>
    public StateDict ToFloat32()
    {
        var result = new StateDict();
        foreach (var t in _ordered)
        {
            if (!t.IsFloatingPoint || t.DType == TensorDType.Float32) { result.Add(t); continue; }
            var values = t.ToFloat32();
            var bytes = new byte[values.Length * sizeof(float)];
            Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
            result.Add(new CheckpointTensor(t.Name, TensorDType.Float32, (long[])t.Shape.Clone(), bytes));
        }
        return result;
    }

    /// <summary>Every floating-point tensor as float16 (round to nearest even, as torch's <c>.half()</c>); integers unchanged.</summary>
    public StateDict ToFloat16()
    {
        var result = new StateDict();
        foreach (var t in _ordered)
        {
            if (!t.IsFloatingPoint || t.DType == TensorDType.Float16) { result.Add(t); continue; }
            var values = t.ToFloat32();
            var halves = new Half[values.Length];
            for (int i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
            result.Add(new CheckpointTensor(t.Name, TensorDType.Float16, (long[])t.Shape.Clone(), System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()).ToArray()));
        }
        return result;
    }

    /// <summary>
    /// Elements of all tensors except BatchNorm statistics (running_mean, running_var, num_batches_tracked),
    /// i.e. what PyTorch's <c>sum(p.numel() for p in model.parameters())</c> reports.
    /// </summary>
    public long TrainableParameterCount => _ordered.Where(t => !SparseViTStateDictLayout.IsBuffer(t.Name)).Sum(t => t.ElementCount);

    /// <summary>Elements of all entries, buffers included.</summary>
    public long TotalElementCount => _ordered.Sum(t => t.ElementCount);
}
