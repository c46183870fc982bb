using System.Buffers.Binary;
using System.Text;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// Writes a state dict as <c>torch.save</c> would: a zip archive holding <c>archive/data.pkl</c> (pickle protocol 2 of
/// <c>{"model": OrderedDict(name → tensor), ...}</c>), one raw little-endian record per tensor under
/// <c>archive/data/&lt;key&gt;</c>, and <c>archive/version</c>. The authors' scripts and <c>torch.load</c> read the result, so a
/// model trained here can be evaluated with their code and vice versa.
/// </summary>
public static class PyTorchCheckpointWriter
{
    private const string Prefix = "archive/";

    /// <summary>
    /// Writes <paramref name="tensors"/> under the key "model", plus optional integer entries such as "epoch" or "step".
    /// The file is written beside the target and renamed over it, so a crash never leaves a truncated checkpoint.
    /// </summary>
    public static void Write(string path, IEnumerable<CheckpointTensor> tensors, IReadOnlyDictionary<string, long>? extraIntegers = null)
    {
        var list = tensors.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in list)
            if (!names.Add(t.Name)) throw new ArgumentException($"duplicate state-dict entry '{t.Name}'");

        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                var zip = new StoredZipWriter(stream);
                zip.Add(Prefix + "data.pkl", BuildPickle(list, extraIntegers));
                zip.Add(Prefix + "byteorder", "little"u8.ToArray());
                for (int i = 0; i < list.Count; i++)
                    zip.Add(Prefix + "data/" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), list[i].Data);
                zip.Add(Prefix + "version", "3\n"u8.ToArray());
                zip.Finish();
                stream.Flush(true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The pickle program; no memo is used, so every object is built exactly once and nothing refers back.</summary>
    internal static byte[] BuildPickle(IReadOnlyList<CheckpointTensor> tensors, IReadOnlyDictionary<string, long>? extraIntegers)
    {
        var p = new PickleBuilder();
        p.Proto(2);
        p.Op('}'); // EMPTY_DICT
        p.Op('(');
        p.Unicode("model");
        p.Global("collections", "OrderedDict");
        p.Op(')');
        p.Op('R');
        if (tensors.Count > 0)
        {
            p.Op('(');
            for (int i = 0; i < tensors.Count; i++)
            {
                var t = tensors[i];
                p.Unicode(t.Name);
                p.Global("torch._utils", "_rebuild_tensor_v2");
                p.Op('(');
                // Persistent id: ('storage', storage_type, key, location, numel) is what torch.load resolves to archive/data/<key>.
                p.Op('(');
                p.Unicode("storage");
                p.Global("torch", StorageType(t.DType));
                p.Unicode(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                p.Unicode("cpu");
                p.Int(t.ElementCount);
                p.Op('t');
                p.Op('Q'); // BINPERSID
                p.Int(0); // storage offset
                p.Tuple(t.Shape);
                p.Tuple(ContiguousStrides(t.Shape));
                p.Op('\x89'); // requires_grad = False
                p.Global("collections", "OrderedDict");
                p.Op(')');
                p.Op('R'); // backward hooks: an empty OrderedDict
                p.Op('t');
                p.Op('R');
            }
            p.Op('u'); // SETITEMS
        }
        if (extraIntegers is not null)
        {
            foreach (var (key, value) in extraIntegers)
            {
                if (key == "model") throw new ArgumentException("'model' is reserved for the state dict");
                p.Unicode(key);
                p.Int(value);
            }
        }
        p.Op('u');
        p.Op('.');
        return p.ToArray();
    }

    private static string StorageType(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "FloatStorage",
        TensorDType.Float16 => "HalfStorage",
        TensorDType.BFloat16 => "BFloat16Storage",
        TensorDType.Float64 => "DoubleStorage",
        TensorDType.Int64 => "LongStorage",
        TensorDType.Int32 => "IntStorage",
        TensorDType.UInt8 => "ByteStorage",
        TensorDType.Int8 => "CharStorage",
        TensorDType.Bool => "BoolStorage",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    internal static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(1, shape[i]);
        }
        return strides;
    }

    private sealed class PickleBuilder
    {
        private readonly MemoryStream _out = new();

        public void Op(char op) => _out.WriteByte((byte)op);

        public void Proto(byte version)
        {
            _out.WriteByte(0x80);
            _out.WriteByte(version);
        }

        public void Global(string module, string name)
        {
            Op('c');
            var bytes = Encoding.ASCII.GetBytes(module + "\n" + name + "\n");
            _out.Write(bytes);
        }

        public void Unicode(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            Op('X');
            Span<byte> len = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(len, (uint)bytes.Length);
            _out.Write(len);
            _out.Write(bytes);
        }

        public void Int(long value)
        {
            if (value is >= 0 and <= byte.MaxValue)
            {
                Op('K');
                _out.WriteByte((byte)value);
            }
            else if (value is >= 0 and <= ushort.MaxValue)
            {
                Op('M');
                Span<byte> b = stackalloc byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value);
                _out.Write(b);
            }
            else if (value is >= int.MinValue and <= int.MaxValue)
            {
                Op('J');
                Span<byte> b = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(b, (int)value);
                _out.Write(b);
            }
            else
            {
                // LONG1: 8-byte little-endian two's complement.
                _out.WriteByte(0x8a);
                _out.WriteByte(8);
                Span<byte> b = stackalloc byte[8];
                BinaryPrimitives.WriteInt64LittleEndian(b, value);
                _out.Write(b);
            }
        }

        public void Tuple(long[] values)
        {
            if (values.Length == 0)
            {
                Op(')');
                return;
            }
            Op('(');
            foreach (var v in values) Int(v);
            Op('t');
        }

        public byte[] ToArray() => _out.ToArray();
    }
}
