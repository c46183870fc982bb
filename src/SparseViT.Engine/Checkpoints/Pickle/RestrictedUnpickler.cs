using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>Resource bounds for one pickle; defaults are far above what a 50 M-parameter training checkpoint needs.</summary>
public sealed record UnpicklerLimits
{
    public int MaxMemoEntries { get; init; } = 4_000_000;
    public int MaxStackDepth { get; init; } = 1_000_000;
    public int MaxMarkDepth { get; init; } = 100_000;
    public long MaxObjects { get; init; } = 20_000_000;
    public int MaxIntegerBytes { get; init; } = 4096;
    public int MaxLineLength { get; init; } = 4096;

    public static UnpicklerLimits Default { get; } = new();
}

/// <summary>
/// A pickle virtual machine that only builds data. Python's unpickler imports and calls whatever GLOBAL
/// names; this one maps a fixed allow-list of names to C# handlers (<see cref="ResolveGlobal"/>) and refuses
/// any other name the moment it is read, before anything could be applied to it. There is no path from the
/// input to code execution, file or network access.
/// </summary>
public sealed class RestrictedUnpickler
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly string? _path;
    private readonly Func<object?, object?>? _persistentLoad;
    private readonly UnpicklerLimits _limits;
    private int _pos;
    private long _objects;

    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();

    /// <param name="data">The bytes holding the pickle (possibly followed by other data).</param>
    /// <param name="path">The file the pickle came from, named in every error.</param>
    /// <param name="persistentLoad">Turns a persistent id (BINPERSID) into a value; without it persistent ids are refused.</param>
    /// <param name="start">Offset of the pickle in <paramref name="data"/>.</param>
    public RestrictedUnpickler(ReadOnlyMemory<byte> data, string? path, Func<object?, object?>? persistentLoad = null,
        UnpicklerLimits? limits = null, int start = 0)
    {
        _data = data;
        _path = path;
        _persistentLoad = persistentLoad;
        _limits = limits ?? UnpicklerLimits.Default;
        _pos = start;
    }

    /// <summary>Offset just past the STOP opcode once <see cref="Load"/> returned.</summary>
    public int Position => _pos;

    /// <summary>Unpickles one value; throws <see cref="CheckpointException"/> for anything refused, truncated or malformed.</summary>
    public static object? Load(ReadOnlyMemory<byte> data, string? path, Func<object?, object?>? persistentLoad = null, UnpicklerLimits? limits = null)
        => new RestrictedUnpickler(data, path, persistentLoad, limits).Load();

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

    public object? Load()
    {
        while (true)
        {
            int opStart = _pos;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    {
                        byte proto = ReadByte();
                        if (proto > 5) throw Fail(CheckpointErrorCodes.Unsupported, $"pickle protocol {proto} is newer than 5");
                        break;
                    }
                case 0x95: // FRAME: only a read-ahead hint, but its length must be plausible
                    {
                        long frame = (long)ReadUInt64();
                        if (frame > Remaining) throw Truncated($"a pickle frame of {frame} bytes at byte {opStart} runs past the end of the data");
                        break;
                    }
                case (byte)'.': // STOP
                    if (_marks.Count != 0) throw Corrupt($"STOP at byte {opStart} with an unclosed MARK");
                    if (_stack.Count != 1) throw Corrupt($"STOP at byte {opStart} with {_stack.Count} values on the stack (expected 1)");
                    return _stack[0];

                case (byte)'(': // MARK
                    if (_marks.Count >= _limits.MaxMarkDepth) throw Limit($"more than {_limits.MaxMarkDepth} nested MARKs");
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP

                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;
                case 0x89: Push(false); break;
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break;
                case (byte)'K': Push((long)ReadByte()); break;
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break;
                case 0x8a: Push(ReadLong(ReadByte())); break; // LONG1
                case 0x8b: // LONG4
                    {
                        int n = BinaryPrimitives.ReadInt32LittleEndian(Take(4));
                        if (n < 0) throw Corrupt($"negative LONG4 length at byte {opStart}");
                        Push(ReadLong(n));
                        break;
                    }
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break;

                case (byte)'X': Push(ReadUtf8(ReadLength32(opStart))); break; // BINUNICODE
                case 0x8c: Push(ReadUtf8(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadUtf8(ReadLength64(opStart))); break; // BINUNICODE8
                case (byte)'B': Push(Take(ReadLength32(opStart)).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(ReadLength64(opStart)).ToArray()); break; // BINBYTES8
                // Python 2 str: torch checkpoints written by Python 2 hold ASCII names this way.
                case (byte)'T': Push(Encoding.Latin1.GetString(Take(ReadLength32(opStart)))); break; // BINSTRING
                case (byte)'U': Push(Encoding.Latin1.GetString(Take(ReadByte()))); break; // SHORT_BINSTRING

                // Protocol 0 text forms: cheap to support and occasionally met in old files.
                case (byte)'I': Push(ParseTextInt(ReadLine())); break;
                case (byte)'L': Push(ParseTextInt(ReadLine().TrimEnd('L'))); break;
                case (byte)'F':
                    {
                        string s = ReadLine();
                        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) throw Corrupt($"bad FLOAT '{s}'");
                        Push(d);
                        break;
                    }
                case (byte)'V': Push(DecodeRawUnicodeEscape(ReadLine())); break;

                case (byte)'}': Push(new PyDict()); break;
                case (byte)']': Push(new List<object?>()); break;
                case (byte)')': Push(new PyTuple(Array.Empty<object?>())); break;
                case 0x8f: Push(new List<object?>()); break; // EMPTY_SET
                case (byte)'d': // DICT
                    {
                        var items = PopMark();
                        if (items.Count % 2 != 0) throw Corrupt($"DICT at byte {opStart} with an odd number of items");
                        var d = new PyDict();
                        for (int i = 0; i < items.Count; i += 2) d.Set(items[i], items[i + 1]);
                        Push(d);
                        break;
                    }
                case (byte)'l': Push(new List<object?>(PopMark())); break; // LIST
                case (byte)'t': Push(new PyTuple(PopMark().ToArray())); break; // TUPLE
                case 0x91: Push(new List<object?>(PopMark())); break; // FROZENSET
                case 0x85: { var a = Pop(); Push(new PyTuple([a])); break; }
                case 0x86: { var b = Pop(); var a = Pop(); Push(new PyTuple([a, b])); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new PyTuple([a, b, c])); break; }

                case (byte)'a': // APPEND
                    {
                        var v = Pop();
                        AsList(Peek(), "APPEND", opStart).Add(v);
                        break;
                    }
                case (byte)'e': // APPENDS
                case 0x90: // ADDITEMS
                    {
                        var items = PopMark();
                        AsList(Peek(), op == 0x90 ? "ADDITEMS" : "APPENDS", opStart).AddRange(items);
                        break;
                    }
                case (byte)'s': // SETITEM
                    {
                        var v = Pop();
                        var k = Pop();
                        AsDict(Peek(), "SETITEM", opStart).Set(k, v);
                        break;
                    }
                case (byte)'u': // SETITEMS
                    {
                        var items = PopMark();
                        if (items.Count % 2 != 0) throw Corrupt($"SETITEMS at byte {opStart} with an odd number of items");
                        var d = AsDict(Peek(), "SETITEMS", opStart);
                        for (int i = 0; i < items.Count; i += 2) d.Set(items[i], items[i + 1]);
                        break;
                    }

                case (byte)'q': Memoize(ReadByte(), opStart); break; // BINPUT
                case (byte)'r': Memoize(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), opStart); break; // LONG_BINPUT
                case (byte)'p': Memoize(ParseMemoIndex(ReadLine()), opStart); break; // PUT
                case 0x94: Memoize(_memo.Count, opStart); break; // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte(), opStart)); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)), opStart)); break; // LONG_BINGET
                case (byte)'g': Push(Recall(ParseMemoIndex(ReadLine()), opStart)); break; // GET

                case (byte)'c': // GLOBAL
                    {
                        string module = ReadLine();
                        string name = ReadLine();
                        Push(Resolve(module, name));
                        break;
                    }
                case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop();
                        var module = Pop();
                        if (module is not string m || name is not string n) throw Corrupt($"STACK_GLOBAL at byte {opStart} needs two strings");
                        Push(Resolve(m, n));
                        break;
                    }
                case (byte)'R': // REDUCE
                    {
                        var args = Pop();
                        var callable = Pop();
                        if (args is not PyTuple t) throw Corrupt($"REDUCE at byte {opStart} with {PyRepr.TypeName(args)} arguments (expected a tuple)");
                        Push(Apply(callable, t, opStart));
                        break;
                    }
                case 0x81: // NEWOBJ
                    {
                        var args = Pop();
                        var cls = Pop();
                        if (args is not PyTuple t) throw Corrupt($"NEWOBJ at byte {opStart} with {PyRepr.TypeName(args)} arguments (expected a tuple)");
                        Push(NewObject(cls, t, opStart));
                        break;
                    }
                case 0x92: // NEWOBJ_EX
                    {
                        Pop(); // kwargs: data-only classes take none we care about
                        var args = Pop();
                        var cls = Pop();
                        if (args is not PyTuple t) throw Corrupt($"NEWOBJ_EX at byte {opStart} with {PyRepr.TypeName(args)} arguments (expected a tuple)");
                        Push(NewObject(cls, t, opStart));
                        break;
                    }
                case (byte)'b': // BUILD
                    {
                        var state = Pop();
                        Build(Peek(), state, opStart);
                        break;
                    }
                case (byte)'Q': // BINPERSID
                    {
                        var pid = Pop();
                        if (_persistentLoad is null) throw Fail(CheckpointErrorCodes.Unsupported, $"persistent id at byte {opStart} but no storage records to resolve it against");
                        Push(_persistentLoad(pid));
                        break;
                    }
                case (byte)'P': // PERSID (text): torch never writes it
                    throw Fail(CheckpointErrorCodes.Unsupported, $"text persistent id (PERSID) at byte {opStart}");
                case (byte)'i': // INST and OBJ instantiate classes; refuse them like any non-allow-listed call
                case (byte)'o':
                    throw Fail(CheckpointErrorCodes.Unsupported, $"pickle opcode {(op == (byte)'i' ? "INST" : "OBJ")} at byte {opStart} (class instantiation) is not supported in checkpoints");
                case 0x82: case 0x83: case 0x84:
                    throw Fail(CheckpointErrorCodes.Unsupported, $"pickle extension registry opcode (EXT) at byte {opStart}");
                case 0x96: case 0x97: case 0x98:
                    throw Fail(CheckpointErrorCodes.Unsupported, $"pickle protocol 5 out-of-band buffer opcode at byte {opStart}");
                case (byte)'S':
                    throw Fail(CheckpointErrorCodes.Unsupported, $"protocol 0 quoted STRING at byte {opStart}");
                default:
                    throw Corrupt($"unknown pickle opcode 0x{op:x2} at byte {opStart}");
            }
        }
    }

    // ---- handlers for allowed globals ------------------------------------------------------------

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

    private void Push(object? v)
    {
        if (_stack.Count >= _limits.MaxStackDepth) throw Limit($"pickle stack deeper than {_limits.MaxStackDepth}");
        _stack.Add(v);
    }

    private T Count<T>(T v)
    {
        if (++_objects > _limits.MaxObjects) throw Limit($"more than {_limits.MaxObjects} objects");
        return v;
    }

    private object? Pop()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor) throw Corrupt($"pickle stack underflow at byte {_pos - 1}");
        var v = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return v;
    }

    private object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks.Peek() : 0;
        if (_stack.Count <= floor) throw Corrupt($"pickle stack underflow at byte {_pos - 1}");
        return _stack[^1];
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Corrupt($"pickle opcode at byte {_pos - 1} needs a MARK that is missing");
        int m = _marks.Pop();
        var items = _stack.GetRange(m, _stack.Count - m);
        _stack.RemoveRange(m, _stack.Count - m);
        _objects += items.Count;
        if (_objects > _limits.MaxObjects) throw Limit($"more than {_limits.MaxObjects} objects");
        return items;
    }

    private void Memoize(long index, int at)
    {
        if (!_memo.ContainsKey(index) && _memo.Count >= _limits.MaxMemoEntries) throw Limit($"more than {_limits.MaxMemoEntries} memo entries");
        _memo[index] = Peek();
    }

    private object? Recall(long index, int at) =>
        _memo.TryGetValue(index, out var v) ? v : throw Corrupt($"memo entry {index} read at byte {at} was never stored");

    private List<object?> AsList(object? v, string op, int at) =>
        v as List<object?> ?? throw Corrupt($"{op} at byte {at} on a {PyRepr.TypeName(v)}");

    private PyDict AsDict(object? v, string op, int at) =>
        v as PyDict ?? throw Corrupt($"{op} at byte {at} on a {PyRepr.TypeName(v)}");

    // ---- raw reads: every length is checked against what is left before anything is allocated ---------

    private int Remaining => _data.Length - _pos;

    private byte ReadByte()
    {
        if (_pos >= _data.Length) throw Truncated($"the pickle ends at byte {_pos} before its STOP opcode");
        return _data.Span[_pos++];
    }

    private ReadOnlySpan<byte> Take(long n)
    {
        if (n > Remaining) throw Truncated($"the pickle ends at byte {_data.Length} inside a {n}-byte value starting at byte {_pos}");
        var s = _data.Span.Slice(_pos, (int)n);
        _pos += (int)n;
        return s;
    }

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private long ReadLength32(int at) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private long ReadLength64(int at)
    {
        ulong n = ReadUInt64();
        if (n > (ulong)Remaining) throw Truncated($"a {n}-byte value at byte {at} runs past the end of the pickle");
        return (long)n;
    }

    private string ReadUtf8(long n)
    {
        var bytes = Take(n);
        try { return new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException) { throw Corrupt($"invalid UTF-8 in a string before byte {_pos}"); }
    }

    private object ReadLong(int n)
    {
        if (n > _limits.MaxIntegerBytes) throw Limit($"a {n}-byte integer");
        var bytes = Take(n);
        if (n == 0) return 0L;
        if (n <= 8)
        {
            long v = 0;
            for (int i = n - 1; i >= 0; i--) v = (v << 8) | bytes[i];
            int shift = 64 - 8 * n;
            return shift == 0 ? v : (v << shift) >> shift; // sign-extend two's complement
        }
        var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
        return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
    }

    private string ReadLine()
    {
        var span = _data.Span;
        int limit = Math.Min(_data.Length, _pos + _limits.MaxLineLength);
        for (int i = _pos; i < limit; i++)
        {
            if (span[i] != (byte)'\n') continue;
            string s = Encoding.UTF8.GetString(span.Slice(_pos, i - _pos));
            _pos = i + 1;
            return s;
        }
        if (limit == _data.Length) throw Truncated($"the pickle ends at byte {_data.Length} inside a text line");
        throw Limit($"a pickle text line longer than {_limits.MaxLineLength} bytes at byte {_pos}");
    }

    private object ParseTextInt(string s)
    {
        if (s == "00") return false;
        if (s == "01") return true;
        if (s.Length > _limits.MaxIntegerBytes * 3) throw Limit("a huge text integer");
        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return l;
        if (BigInteger.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var b)) return b;
        throw Corrupt($"bad text integer '{(s.Length > 40 ? s[..40] : s)}'");
    }

    private long ParseMemoIndex(string s) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long l) ? l : throw Corrupt($"bad memo index '{s}'");

    private static string DecodeRawUnicodeEscape(string s)
    {
        if (!s.Contains('\\')) return s;
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 5 < s.Length && s[i + 1] == 'u' &&
                int.TryParse(s.AsSpan(i + 2, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp))
            {
                sb.Append((char)cp);
                i += 5;
            }
            else sb.Append(s[i]);
        }
        return sb.ToString();
    }

    private CheckpointException Fail(string code, string message) => new(code, _path, message);
    private CheckpointException Corrupt(string message) => Fail(CheckpointErrorCodes.Corrupt, message);
    private CheckpointException Truncated(string message) => Fail(CheckpointErrorCodes.Truncated, message);
    private CheckpointException Limit(string message) => Fail(CheckpointErrorCodes.LimitExceeded, "pickle exceeds a safety limit: " + message);
}
