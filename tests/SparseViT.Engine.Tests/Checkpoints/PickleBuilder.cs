using System.IO.Compression;
using System.Text;

namespace SparseViT.Engine.Tests.Checkpoints;

/// <summary>Writes pickle opcodes by hand, to build hostile and edge-case checkpoints without Python.</summary>
internal sealed class PickleBuilder
{
    private readonly MemoryStream _s = new();

    public PickleBuilder Op(byte op) { _s.WriteByte(op); return this; }
    public PickleBuilder Raw(params byte[] b) { _s.Write(b); return this; }
    public PickleBuilder Proto(byte p = 2) => Op(0x80).Op(p);
    public PickleBuilder Mark() => Op((byte)'(');
    public PickleBuilder Stop() => Op((byte)'.');
    public PickleBuilder None() => Op((byte)'N');
    public PickleBuilder False() => Op(0x89);
    public PickleBuilder EmptyDict() => Op((byte)'}');
    public PickleBuilder EmptyTuple() => Op((byte)')');
    public PickleBuilder Tuple() => Op((byte)'t');
    public PickleBuilder Tuple1() => Op(0x85);
    public PickleBuilder SetItem() => Op((byte)'s');
    public PickleBuilder SetItems() => Op((byte)'u');
    public PickleBuilder Reduce() => Op((byte)'R');
    public PickleBuilder BinPersId() => Op((byte)'Q');
    public PickleBuilder StackGlobal() => Op(0x93);

    public PickleBuilder Global(string module, string name) => Op((byte)'c').Raw(Encoding.ASCII.GetBytes(module + "\n" + name + "\n"));

    public PickleBuilder Str(string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        Op((byte)'X').Raw(BitConverter.GetBytes((uint)b.Length));
        return Raw(b);
    }

    public PickleBuilder Int(long v) =>
        v is >= 0 and < 256 ? Op((byte)'K').Raw((byte)v) : Op((byte)'J').Raw(BitConverter.GetBytes((int)v));

    public PickleBuilder Ints(params long[] v)
    {
        Mark();
        foreach (var x in v) Int(x);
        return Tuple();
    }

    /// <summary>_rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict()).</summary>
    public PickleBuilder Tensor(string storageType, string key, long numel, long offset, long[] size, long[] stride, string location = "cpu")
    {
        Global("torch._utils", "_rebuild_tensor_v2");
        Mark();
        Mark().Str("storage").Global("torch", storageType).Str(key).Str(location).Int(numel).Tuple().BinPersId();
        Int(offset).Ints(size).Ints(stride).False().Global("collections", "OrderedDict").EmptyTuple().Reduce();
        Tuple();
        return Reduce();
    }

    public byte[] ToArray() => _s.ToArray();

    /// <summary>A torch zip archive: archive/data.pkl plus archive/data/&lt;key&gt; records.</summary>
    public static void WriteZip(string path, byte[] pickle, params (string Key, byte[] Data)[] storages)
    {
        using var fs = File.Create(path);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        void Add(string name, byte[] data)
        {
            using var e = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            e.Write(data);
        }
        Add("archive/data.pkl", pickle);
        foreach (var (key, data) in storages) Add("archive/data/" + key, data);
        Add("archive/version", Encoding.ASCII.GetBytes("3\n"));
    }

    public static byte[] Floats(params float[] v)
    {
        var b = new byte[v.Length * 4];
        Buffer.BlockCopy(v, 0, b, 0, b.Length);
        return b;
    }
}
