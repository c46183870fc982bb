using System.Numerics;

namespace SparseViT.Engine.Checkpoints.Pickle;

// Python values as the restricted unpickler represents them:
//   None → null, bool → bool, int → long (BigInteger when it does not fit), float → double,
//   str → string, bytes → byte[], list/set → List<object?>, tuple → PyTuple, dict → PyDict,
//   allowed globals → PyGlobal, data-only class instances → PyObject, tensors → TorchTensorRef.

/// <summary>An immutable Python tuple (kept distinct from lists because persistent ids and shapes are tuples).</summary>
public sealed class PyTuple
{
    public IReadOnlyList<object?> Items { get; }
    public PyTuple(object?[] items) => Items = items;
    public int Count => Items.Count;
    public object? this[int i] => Items[i];
    public override string ToString() => "(" + string.Join(", ", Items.Select(PyRepr.Short)) + (Items.Count == 1 ? ",)" : ")");
}

/// <summary>
/// A Python dict or OrderedDict, insertion order preserved. Attributes set by BUILD (torch stores the
/// state dict's <c>_metadata</c> that way) are kept apart from the items.
/// </summary>
public sealed class PyDict
{
    private readonly List<KeyValuePair<object?, object?>> _items = new();
    private readonly Dictionary<object, int> _index = new();

    public bool IsOrderedDict { get; }
    public PyDict(bool isOrderedDict = false) => IsOrderedDict = isOrderedDict;

    public IReadOnlyList<KeyValuePair<object?, object?>> Items => _items;
    public int Count => _items.Count;
    public PyDict? Attributes { get; set; }

    public void Set(object? key, object? value)
    {
        // Only primitive keys can be looked up; exotic keys (tuples) just append, which is all a reader needs.
        if (key is string or long or bool or double or BigInteger)
        {
            if (_index.TryGetValue(key, out int at)) { _items[at] = new(key, value); return; }
            _index[key] = _items.Count;
        }
        _items.Add(new(key, value));
    }

    public bool TryGet(object key, out object? value)
    {
        if (_index.TryGetValue(key, out int at)) { value = _items[at].Value; return true; }
        value = null;
        return false;
    }

    public override string ToString() => $"{(IsOrderedDict ? "OrderedDict" : "dict")} with {Count} items";
}

/// <summary>What an allowed global stands for; each kind has a C# handler, nothing is looked up dynamically.</summary>
public enum PyGlobalKind
{
    OrderedDict,
    RebuildTensorV2,
    RebuildTensor,
    RebuildParameter,
    StorageType,
    /// <summary>A class whose instances are kept as inert data (argparse.Namespace, torch.device).</summary>
    OpaqueClass,
    /// <summary>builtins.set / frozenset: rebuilt as a plain list of already-unpickled items.</summary>
    Set,
    /// <summary>torch.Size: a tuple subclass, rebuilt as the tuple.</summary>
    TorchSize,
    /// <summary>_codecs.encode(text, 'latin1'): how protocol 2 spells a bytes value.</summary>
    CodecsEncode,
}

public sealed record PyGlobal(string Module, string Name, PyGlobalKind Kind, TensorDType? StorageDType = null)
{
    public string FullName => Module + "." + Name;
    public override string ToString() => FullName;
}

/// <summary>An instance of a data-only class, never constructed: the class name, constructor args and BUILD state.</summary>
public sealed class PyObject
{
    public string ClassName { get; }
    public PyTuple Args { get; }
    public object? State { get; set; }

    public PyObject(string className, PyTuple args) { ClassName = className; Args = args; }

    /// <summary>An attribute from a dict BUILD state (argparse.Namespace stores its fields that way).</summary>
    public bool TryGetAttribute(string name, out object? value)
    {
        if (State is PyDict d && d.TryGet(name, out value)) return true;
        value = null;
        return false;
    }

    public override string ToString() => ClassName + "(…)";
}

internal static class PyRepr
{
    public static string Short(object? v) => v switch
    {
        null => "None",
        string s => "'" + (s.Length > 40 ? s[..40] + "…" : s) + "'",
        bool b => b ? "True" : "False",
        byte[] b => $"bytes[{b.Length}]",
        List<object?> l => $"list[{l.Count}]",
        _ => v.ToString() ?? v.GetType().Name,
    };

    public static string TypeName(object? v) => v switch
    {
        null => "None",
        string => "str",
        bool => "bool",
        long or BigInteger => "int",
        double => "float",
        byte[] => "bytes",
        List<object?> => "list",
        PyTuple => "tuple",
        PyDict d => d.IsOrderedDict ? "OrderedDict" : "dict",
        PyGlobal g => g.FullName,
        PyObject o => o.ClassName,
        TorchStorageRef => "storage",
        TorchTensorRef => "tensor",
        _ => v.GetType().Name,
    };
}
