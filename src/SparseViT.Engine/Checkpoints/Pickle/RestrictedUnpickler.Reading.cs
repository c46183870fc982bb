using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>The machine's stack, memo and byte reading, each with its safety limit.</summary>
public sealed partial class RestrictedUnpickler
{

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
