using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>
/// A pickle virtual machine that only builds data. Python's unpickler imports and calls whatever GLOBAL
/// names; this one maps a fixed allow-list of names to C# handlers (<see cref="ResolveGlobal"/>) and refuses
/// any other name the moment it is read, before anything could be applied to it. There is no path from the
/// input to code execution, file or network access.
/// </summary>
public sealed partial class RestrictedUnpickler
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

}
